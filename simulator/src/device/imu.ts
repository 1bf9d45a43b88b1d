import { formatImuLine } from '@fleetline/edge';
import { STANDARD_GRAVITY as G, seededRandom } from '@fleetline/proto';
import type { DriveModel } from '../model/drive.js';
import type { TimedSource } from './feeds.js';

/**
 * The vehicle's accelerometer board: `$IMU` lines (edge/src/imu/PROTOCOL.md) from the drive
 * model at a fixed rate. The model's acceleration has gravity removed; the board reports
 * specific force as a sensor measures it, so +1 g is added on z (up).
 */

const DEVICE_MS_RANGE = 2 ** 32;

export interface ImuTrafficOptions {
  readonly model: DriveModel;
  /** Lines per second; 1000/rateHz must be a multiple of 10 ms (the model's step). Default 100. */
  readonly rateHz?: number;
  /** The board's clock at the drive's start (it counts ms from power-on). Default 2–60 s from the seed. */
  readonly bootMs?: number;
  /**
   * The sensor's full scale, g. Default 16, the widest common MEMS range: a severe crash
   * pulse (20–25 g) clips there, as it does on a real board.
   */
  readonly rangeG?: number;
}

export interface SimulatedImuLine {
  /** Epoch ms: the drive's start plus the simulated time of the sample. */
  readonly timeMs: number;
  /** The board's clock (ms since power-on, wrapping at 2^32). */
  readonly deviceMs: number;
  /** Specific force on the vehicle axes, m/s², gravity included: x forward, y left, z up. */
  readonly ax: number;
  readonly ay: number;
  readonly az: number;
  /** The protocol line, checksum included, without line ending. */
  readonly line: string;
}

export class ImuTraffic implements TimedSource<SimulatedImuLine> {
  readonly intervalMs: number;
  private readonly model: DriveModel;
  private readonly bootMs: number;
  private readonly limit: number;
  private dueMs = 0;

  constructor(options: ImuTrafficOptions) {
    const rateHz = options.rateHz ?? 100;
    this.intervalMs = 1000 / rateHz;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs % 10 !== 0) {
      throw new RangeError(`IMU rate ${rateHz} Hz: 1000/rate must be a multiple of 10 ms`);
    }
    this.model = options.model;
    this.limit = (options.rangeG ?? 16) * G;
    this.bootMs =
      options.bootMs ??
      2000 + Math.floor(seededRandom(options.model.scenario.seed ^ 0x1a0)() * 58_000);
  }

  get nextDueMs(): number {
    return this.dueMs;
  }

  next(): SimulatedImuLine {
    const at = this.dueMs;
    this.dueMs += this.intervalMs;
    this.model.advance(at);
    const s = this.model.state;
    // As sent: clipped at full scale, to the line's 3 decimals.
    const read = (v: number) =>
      Math.round(Math.max(-this.limit, Math.min(this.limit, v)) * 1000) / 1000 + 0;
    const sample = {
      deviceMs: (this.bootMs + at) % DEVICE_MS_RANGE,
      ax: read(s.ax),
      ay: read(s.ay),
      az: read(s.az + G),
    };
    return { ...sample, timeMs: this.model.startMs + at, line: formatImuLine(sample) };
  }
}
