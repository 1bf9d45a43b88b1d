import type { CanFrame } from '../../src/can/frame.js';
import type { CanSource } from '../../src/can/source.js';

/**
 * Records everything a CanSource emits, in order, and lets a test await a condition on it
 * with a deadline — checked on every event, so nothing sleeps.
 */
export class SourceRecorder {
  readonly frames: CanFrame[] = [];
  readonly errors: Error[] = [];
  /** Event names in the order they came, e.g. ['frame', 'error', 'frame', 'end']. */
  readonly events: ('frame' | 'error' | 'end')[] = [];
  ends = 0;
  private readonly waiters = new Set<() => void>();

  constructor(source: CanSource) {
    source.on('frame', (f) => this.record('frame', () => this.frames.push(f)));
    source.on('error', (e) => this.record('error', () => this.errors.push(e)));
    source.on('end', () => this.record('end', () => this.ends++));
  }

  private record(kind: 'frame' | 'error' | 'end', store: () => void): void {
    store();
    this.events.push(kind);
    for (const check of [...this.waiters]) check();
  }

  /** Resolves once `condition` holds; rejects at the deadline saying what was awaited. */
  until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; saw ${this.frames.length} frames, ` +
              `errors [${this.errors.map((e) => e.message).join(' | ')}], ${this.ends} end`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  untilFrames(count: number, timeoutMs?: number): Promise<void> {
    return this.until(() => this.frames.length >= count, `${count} frames`, timeoutMs);
  }

  untilEnd(timeoutMs?: number): Promise<void> {
    return this.until(() => this.ends > 0, 'end', timeoutMs);
  }
}

/** The parts of a frame every adapter must carry intact, in a form toEqual compares. */
export function essentials(frame: CanFrame) {
  return {
    id: frame.id,
    extended: frame.extended,
    remote: frame.remote,
    dlc: frame.dlc,
    data: Array.from(frame.data),
  };
}
