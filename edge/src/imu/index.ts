export {
  type AccelerationMs2,
  type AccelerometerReader,
  MPU6050,
  type Mpu6050FullScale,
  mpu6050Acceleration,
  STANDARD_GRAVITY,
} from './i2c-accelerometer.js';
export { ImuClock } from './imu-clock.js';
export { ImuDecoder, type ImuDecoderOptions } from './imu-decoder.js';
export {
  formatImuLine,
  IMU_ADDRESS,
  IMU_MAX_ABS_ACCEL,
  IMU_MAX_DEVICE_MS,
  type ImuRefusal,
  type ImuSample,
  parseImuLine,
} from './imu-line.js';
export {
  DEFAULT_IMU_BAUD_RATE,
  ImuReplaySource,
  type ImuReplaySourceOptions,
  ImuSerialSource,
  type ImuSerialSourceOptions,
} from './imu-sources.js';
