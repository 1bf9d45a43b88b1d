import { ImuLineError } from '../errors.js';
import type { Decoded, LineDecoder } from '../serial/line-source.js';
import { NOTHING_DECODED } from '../serial/line-source.js';
import { ImuClock } from './imu-clock.js';
import { parseImuLine } from './imu-line.js';

export interface ImuDecoderOptions {
  /** See ImuClock. */
  readonly resyncUs?: number;
  /** Where a replay starts on the time axis (default: the host clock at the first line). */
  readonly replayStartUs?: () => number;
}

/** `$IMU` lines in, `imu.accel_x` / `imu.accel_y` / `imu.accel_z` readings (m/s²) out. */
export class ImuDecoder implements LineDecoder {
  private readonly clock: ImuClock;
  private readonly replayStartUs: () => number;

  constructor(options: ImuDecoderOptions = {}) {
    this.clock = new ImuClock(options.resyncUs);
    this.replayStartUs = options.replayStartUs ?? (() => Date.now() * 1000);
  }

  decode(line: string, receivedAtUs?: number): Decoded {
    let sample: ReturnType<typeof parseImuLine>;
    try {
      sample = parseImuLine(line);
    } catch (err) {
      if (err instanceof ImuLineError) return { readings: [], errors: [err] };
      throw err;
    }
    const timeUs = this.clock.stamp(sample.deviceMs, receivedAtUs, this.replayStartUs);
    return {
      readings: [
        { name: 'imu.accel_x', value: sample.ax, timeUs },
        { name: 'imu.accel_y', value: sample.ay, timeUs },
        { name: 'imu.accel_z', value: sample.az, timeUs },
      ],
      errors: [],
    };
  }

  /** Samples are complete on their own line: nothing is ever held. */
  flush(): Decoded {
    return NOTHING_DECODED;
  }

  end(): Decoded {
    return NOTHING_DECODED;
  }

  tooLong(maxBytes: number): Error {
    return new ImuLineError(`IMU line longer than ${maxBytes} bytes`, { reason: 'too-long' });
  }
}
