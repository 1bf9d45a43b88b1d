/**
 * Real-time pacing for replays: how long to wait before emitting a reading so that readings
 * come out spaced as their timestamps say, sped up by `speed`. Pure: the caller passes the
 * wall clock and does the waiting.
 *
 * Captures are not tidy, so two rules keep a replay moving:
 * - a gap longer than `maxPauseMs` (receiver switched off, log spliced) is shortened to
 *   `maxPauseMs`, and pacing continues from there;
 * - time going backwards (receiver restart, the fraction-of-second change in some logs) emits
 *   at once; if the replay falls more than `maxPauseMs` behind, pacing restarts from the
 *   current reading instead of rushing to catch up.
 */
export class Pacer {
  private anchor: { timeUs: number; wallMs: number } | undefined;

  constructor(
    readonly speed: number,
    readonly maxPauseMs = 5_000,
  ) {
    if (!(speed > 0)) throw new RangeError(`pacing speed must be > 0, got ${speed}`);
  }

  /** Milliseconds to wait before emitting a reading stamped `timeUs`, at wall time `nowMs`. */
  delayFor(timeUs: number, nowMs: number): number {
    if (this.anchor === undefined) {
      this.anchor = { timeUs, wallMs: nowMs };
      return 0;
    }
    const target = this.anchor.wallMs + (timeUs - this.anchor.timeUs) / 1000 / this.speed;
    const delay = target - nowMs;
    if (delay > this.maxPauseMs) {
      this.anchor = { timeUs, wallMs: nowMs + this.maxPauseMs };
      return this.maxPauseMs;
    }
    if (delay < -this.maxPauseMs) {
      this.anchor = { timeUs, wallMs: nowMs };
      return 0;
    }
    return Math.max(0, delay);
  }
}
