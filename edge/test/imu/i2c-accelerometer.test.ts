import { describe, expect, it } from 'vitest';
import { mpu6050Acceleration, STANDARD_GRAVITY } from '../../src/imu/i2c-accelerometer.js';

describe('mpu6050Acceleration', () => {
  it('reads big-endian signed registers at the sensitivity of the full scale', () => {
    // X = +1 g at ±2 g (16384), Y = -0.5 g (-8192 = 0xE000), Z = 0.
    const regs = Uint8Array.from([0x40, 0x00, 0xe0, 0x00, 0x00, 0x00]);
    expect(mpu6050Acceleration(regs, 2)).toEqual({
      x: STANDARD_GRAVITY,
      y: -STANDARD_GRAVITY / 2,
      z: 0,
    });
    // The same counts at ±16 g are eight times the acceleration.
    expect(mpu6050Acceleration(regs, 16).x).toBe(8 * STANDARD_GRAVITY);
  });

  it('reads the extreme counts', () => {
    const regs = Uint8Array.from([0x80, 0x00, 0x7f, 0xff, 0xff, 0xff]);
    const a = mpu6050Acceleration(regs, 2);
    expect(a.x).toBe(-2 * STANDARD_GRAVITY);
    expect(a.y).toBeCloseTo((32767 / 16384) * STANDARD_GRAVITY, 12);
    expect(a.z).toBeCloseTo(-STANDARD_GRAVITY / 16384, 12);
  });

  it('reads from an offset inside a larger buffer', () => {
    const buffer = Uint8Array.from([0xaa, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(mpu6050Acceleration(buffer.subarray(1), 2).x).toBe(STANDARD_GRAVITY);
  });

  it('refuses fewer than six bytes', () => {
    expect(() => mpu6050Acceleration(new Uint8Array(5), 2)).toThrow(RangeError);
  });
});
