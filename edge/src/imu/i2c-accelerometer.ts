import { STANDARD_GRAVITY } from '@fleetline/proto';

/**
 * The boundary for accelerometers on an I2C bus (MPU-6050 class). Not implemented here.
 *
 * Reading one needs the Linux i2c-dev interface: open `/dev/i2c-N`, `ioctl(I2C_SLAVE, 0x68)`
 * or `ioctl(I2C_RDWR, …)`, then register reads. Node has no ioctl without a native addon, and
 * the edge package takes no new native dependency for it. A board that speaks the `$IMU` serial line
 * protocol (PROTOCOL.md) covers the same need today.
 *
 * What an implementation would provide: an `AccelerometerReader` (below), polled at the
 * sample rate by a source that emits the same `imu.accel_*` readings as the serial source,
 * and the register conversion, which is pure and lives here already.
 */

/** Acceleration in m/s² along the vehicle axes (x forward, y left, z up), gravity included. */
export interface AccelerationMs2 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** What an I2C (or any polled) accelerometer driver implements. */
export interface AccelerometerReader {
  /** Reads one sample; rejects if the bus transaction fails. */
  read(): Promise<AccelerationMs2>;
  close(): Promise<void>;
}

/** MPU-6050 register map (InvenSense RM-MPU-6000A-00 rev 4.2). */
export const MPU6050 = Object.freeze({
  address: 0x68,
  accelConfig: 0x1c,
  /** ACCEL_XOUT_H; six bytes follow: X, Y, Z as big-endian two's-complement 16-bit. */
  accelXoutH: 0x3b,
  pwrMgmt1: 0x6b,
  whoAmI: 0x75,
});

export type Mpu6050FullScale = 2 | 4 | 8 | 16;

/** Standard gravity, m/s² (CGPM 1901). */
export { STANDARD_GRAVITY };

/**
 * Converts the six bytes read from ACCEL_XOUT_H into m/s² on the sensor's own axes. The
 * sensitivity is 32768 / full scale LSB per g (16384 LSB/g at ±2 g, datasheet §6.2). Mapping
 * the sensor axes onto the vehicle axes depends on how the board is mounted and is the
 * driver's job.
 */
export function mpu6050Acceleration(
  registers: Uint8Array,
  fullScaleG: Mpu6050FullScale,
): AccelerationMs2 {
  if (registers.length < 6) {
    throw new RangeError(`MPU-6050 acceleration needs 6 register bytes, got ${registers.length}`);
  }
  const view = new DataView(registers.buffer, registers.byteOffset, 6);
  const lsbPerG = 32768 / fullScaleG;
  const axis = (offset: number) => (view.getInt16(offset, false) / lsbPerG) * STANDARD_GRAVITY;
  return { x: axis(0), y: axis(2), z: axis(4) };
}
