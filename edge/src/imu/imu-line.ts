import { ImuLineError } from '../errors.js';
import { checksumHex, withChecksum, xorChecksum } from '../serial/xor-checksum.js';

/** One accelerometer sample as the sensor board sends it (see PROTOCOL.md). */
export interface ImuSample {
  /** Device clock: milliseconds since the board started, 0 … 2^32 − 1 (wraps). */
  readonly deviceMs: number;
  /** Specific force along the vehicle axes in m/s², gravity included: x forward, y left, z up. */
  readonly ax: number;
  readonly ay: number;
  readonly az: number;
}

export const IMU_ADDRESS = 'IMU';
/** ±16 g, the widest range of common MEMS accelerometers, with a little headroom. */
export const IMU_MAX_ABS_ACCEL = 160;
export const IMU_MAX_DEVICE_MS = 0xffff_ffff;

export type ImuRefusal =
  | 'format'
  | 'no-checksum'
  | 'checksum'
  | 'fields-missing'
  | 'field'
  | 'range'
  | 'too-long';

const shown = (text: string) => JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);

function refuse(reason: ImuRefusal, message: string, line: string, extra = {}): ImuLineError {
  return new ImuLineError(message, { reason, line: line.slice(0, 100), ...extra });
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const AXES = ['ax', 'ay', 'az'] as const;

/** Parses one `$IMU,<t_ms>,<ax>,<ay>,<az>*hh` line; throws ImuLineError saying what is wrong. */
export function parseImuLine(line: string): ImuSample {
  const text = line.trim();
  if (!text.startsWith('$')) {
    throw refuse('format', `IMU line does not start with '$': ${shown(line)}`, line);
  }
  const m = /^\$([^*]*)\*([0-9A-Fa-f]{2})$/.exec(text);
  if (!m) {
    throw refuse(
      'no-checksum',
      `IMU line does not end with a checksum '*hh': ${shown(line)}`,
      line,
    );
  }
  const body = m[1]!;
  const got = m[2]!.toUpperCase();
  const expected = checksumHex(xorChecksum(body));
  if (got !== expected) {
    throw refuse(
      'checksum',
      `bad checksum in ${shown(line)}: expected *${expected} (computed), got *${got}`,
      line,
      { expected, got },
    );
  }
  const fields = body.split(',');
  if (fields[0] !== IMU_ADDRESS) {
    throw refuse('format', `not an $IMU line: ${shown(line)}`, line);
  }
  // Fields after az are ignored: later protocol versions may append (see PROTOCOL.md).
  if (fields.length < 5) {
    throw refuse(
      'fields-missing',
      `IMU line has ${fields.length - 1} fields, needs 4 (t_ms, ax, ay, az)`,
      line,
    );
  }
  const tText = fields[1]!;
  if (!/^\d{1,10}$/.test(tText) || Number(tText) > IMU_MAX_DEVICE_MS) {
    throw refuse('field', `IMU field 1 (t_ms) ${shown(tText)} is not an integer 0…2^32−1`, line, {
      field: 1,
    });
  }
  const values = AXES.map((axis, i) => {
    const raw = fields[i + 2]!;
    if (!NUMBER.test(raw)) {
      throw refuse('field', `IMU field ${i + 2} (${axis}) ${shown(raw)} is not a number`, line, {
        field: i + 2,
      });
    }
    const value = Number(raw);
    if (Math.abs(value) > IMU_MAX_ABS_ACCEL) {
      throw refuse(
        'range',
        `IMU field ${i + 2} (${axis}) ${raw} m/s² is beyond ±${IMU_MAX_ABS_ACCEL} m/s²`,
        line,
        { field: i + 2 },
      );
    }
    return value;
  });
  return { deviceMs: Number(tText), ax: values[0]!, ay: values[1]!, az: values[2]! };
}

/** Formats a sample as a protocol line (without line ending), e.g. for a simulator. */
export function formatImuLine(sample: ImuSample, decimals = 3): string {
  const n = (v: number) => v.toFixed(decimals);
  return withChecksum(
    `${IMU_ADDRESS},${sample.deviceMs},${n(sample.ax)},${n(sample.ay)},${n(sample.az)}`,
  );
}
