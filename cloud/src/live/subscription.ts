import type { CallbackGuard } from '@fleetline/platform';
import type { LiveFilter, LiveMessage } from './events.js';
import type { SubscriberQueue } from './subscriber-queue.js';

/** One subscriber's end of the feed: it pulls messages when told they are ready. */
export interface LiveSubscription {
  /** The next message to send, or undefined when none is ready (or none will come). */
  next(): LiveMessage | undefined;
  /** True once nothing more will come (and any final error has been taken). */
  readonly ended: boolean;
  /** Ends it: a final `error` event with the message, then nothing. */
  end(message: string): void;
  /** Unsubscribes. */
  close(): void;
}

/**
 * A subscriber's queue and the timer that releases its held states: the queue decides what
 * goes out and when (SubscriberQueue, pure); this wakes the reader and keeps the timer.
 */
export class Subscription implements LiveSubscription {
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;

  constructor(
    readonly filter: LiveFilter,
    readonly queue: SubscriberQueue,
    private readonly deps: {
      now(): number;
      onReady(): void;
      detach(s: Subscription): void;
      guard: CallbackGuard;
    },
  ) {}

  next(): LiveMessage | undefined {
    return this.queue.take();
  }

  get ended(): boolean {
    return this.queue.ended && !this.queue.ready;
  }

  close(): void {
    this.queue.end();
    this.release();
  }

  /** Ends it from the feed's side, with a final error for the reader. */
  end(message: string): void {
    this.queue.end(message);
    this.release();
    this.deps.onReady();
  }

  /** After the queue changed: detach if it ended, set the release timer, wake the reader. */
  settle(nowMs: number): void {
    if (this.queue.ended) this.release();
    else this.schedule(nowMs);
    if (this.queue.ready || this.queue.ended) this.deps.onReady();
  }

  private schedule(nowMs: number): void {
    const due = this.queue.nextReleaseMs();
    if (due === undefined || due >= this.timerAtMs) return;
    clearTimeout(this.timer);
    this.timerAtMs = due;
    this.timer = setTimeout(
      this.deps.guard.wrap('live.release', () => {
        this.timer = undefined;
        this.timerAtMs = Number.POSITIVE_INFINITY;
        const now = this.deps.now();
        this.queue.release(now);
        this.settle(now);
      }),
      Math.max(0, due - nowMs),
    );
    this.timer.unref();
  }

  private release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
    this.deps.detach(this);
  }
}
