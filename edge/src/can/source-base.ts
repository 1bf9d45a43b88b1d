import { EventEmitter } from 'node:events';
import type { CanFrame } from './frame.js';
import type { CanSourceEvents, CanSourceStats } from './source.js';

/**
 * What every CanSource adapter shares: the counters behind `stats` and the rules of its
 * events, so each adapter keeps only its own I/O.
 *
 * - `error` is counted always and emitted only when someone listens: EventEmitter throws
 *   an `error` nobody listens to, and a garbled line must never take the process down.
 * - `end` is emitted at most once, and only when the source ends by itself (end of the log,
 *   candump exited, device gone) — never because of close(), which the caller already knows
 *   about. Nothing is emitted once close() has begun.
 */
export abstract class CanSourceBase extends EventEmitter<CanSourceEvents> {
  private readonly counters: CanSourceStats = { frames: 0, errors: 0 };
  private ended = false;
  /** Set when close() begins: from then on the source is silent. */
  protected closing = false;

  get stats(): Readonly<CanSourceStats> {
    return { ...this.counters };
  }

  protected deliver(frame: CanFrame): void {
    if (this.closing || this.ended) return;
    this.counters.frames++;
    this.emit('frame', frame);
  }

  protected report(error: Error): void {
    if (this.closing || this.ended) return;
    this.counters.errors++;
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  protected finish(): void {
    if (this.closing || this.ended) return;
    this.ended = true;
    this.emit('end');
  }
}

/** The host's wall clock in epoch microseconds, finer than Date.now()'s milliseconds. */
export function epochMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
