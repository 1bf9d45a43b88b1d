import { describe, expect, it } from 'vitest';
import { ImuLineError } from '../../src/errors.js';
import { formatImuLine, parseImuLine } from '../../src/imu/imu-line.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';

const refusal = (line: string): ImuLineError => {
  try {
    parseImuLine(line);
  } catch (err) {
    expect(err).toBeInstanceOf(ImuLineError);
    return err as ImuLineError;
  }
  throw new Error(`expected ${JSON.stringify(line)} to be refused`);
};

describe('parseImuLine', () => {
  it('parses the examples of PROTOCOL.md', () => {
    expect(parseImuLine('$IMU,123456,0.120,-0.034,9.807*57')).toEqual({
      deviceMs: 123456,
      ax: 0.12,
      ay: -0.034,
      az: 9.807,
    });
    expect(parseImuLine('$IMU,123466,-2.451,0.310,9.790*51\r')).toMatchObject({ ax: -2.451 });
  });

  it('accepts the largest device time and a lower-case checksum', () => {
    expect(parseImuLine('$IMU,4294967295,0.000,0.000,9.807*74').deviceMs).toBe(4294967295);
    expect(
      parseImuLine('$IMU,123456,0.120,-0.034,9.807*57'.toLowerCase().replace('$imu', '$IMU')).ax,
    ).toBe(0.12);
  });

  it('ignores fields after az, which later versions may add', () => {
    expect(parseImuLine(withChecksum('IMU,10,1,2,3,0.01,0.02,0.03'))).toEqual({
      deviceMs: 10,
      ax: 1,
      ay: 2,
      az: 3,
    });
  });

  it('refuses each kind of bad line with its reason', () => {
    const cases: [string, string][] = [
      ['IMU,1,0,0,9.8*00', 'format'],
      [withChecksum('ACC,1,0,0,9.8'), 'format'],
      ['$IMU,1,0,0,9.8', 'no-checksum'],
      ['$IMU,1,0,0,9.8*4', 'no-checksum'],
      ['$IMU,123456,0.120,-0.034,9.807*58', 'checksum'],
      [withChecksum('IMU,1,0,0'), 'fields-missing'],
      [withChecksum('IMU,-1,0,0,9.8'), 'field'],
      [withChecksum('IMU,1.5,0,0,9.8'), 'field'],
      [withChecksum('IMU,4294967296,0,0,9.8'), 'field'],
      [withChecksum('IMU,1,1e3,0,9.8'), 'field'],
      [withChecksum('IMU,1,,0,9.8'), 'field'],
      [withChecksum('IMU,1,0,NaN,9.8'), 'field'],
      [withChecksum('IMU,1,0,0,160.5'), 'range'],
    ];
    for (const [line, reason] of cases) {
      const error = refusal(line);
      expect(error.details.reason, line).toBe(reason);
      expect(error.code).toBe('EDGE_IMU_LINE_INVALID');
    }
  });

  it('says which field is wrong and what the checksum should be', () => {
    expect(refusal(withChecksum('IMU,1,0,abc,9.8')).message).toContain('field 3 (ay) "abc"');
    expect(refusal('$IMU,123456,0.120,-0.034,9.807*58').message).toContain(
      'expected *57 (computed), got *58',
    );
  });
});

describe('formatImuLine', () => {
  it('writes lines that parse back to the same sample', () => {
    const sample = { deviceMs: 98765, ax: -1.25, ay: 0.5, az: 9.81 };
    const line = formatImuLine(sample);
    expect(line).toBe(withChecksum('IMU,98765,-1.250,0.500,9.810'));
    expect(parseImuLine(line)).toEqual(sample);
  });
});
