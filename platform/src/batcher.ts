/**
 * Batching with N writes in flight: many callers each hand over a few items; their items are
 * gathered and written together, so a thousand callers storing a few rows each make a handful
 * of writes, not a thousand (and the database or broker is not asked for a thousand concurrent
 * writes at once). While `maxInFlight` writes are under way new items wait and join the next
 * one, which is what makes the batches grow with the load. Each caller's promise settles with
 * the write that carried its items; a write that fails fails only its own callers.
 *
 * Two uses, two settings:
 * - group commit (the processor's telemetry database writes and alert publishes): a few writes in
 * flight,
 *   and a write waits for the end of the current turn of the event loop, so the calls made in
 *   one turn (every actor of a consumer batch) share it;
 * - one write at a time (the Kafka producer: concurrent produce requests of an idempotent
 *   producer draw OUT_OF_ORDER_SEQUENCE_NUMBER from the broker): a free slot writes at once,
 *   and calls gather only while a write is under way.
 */

export interface BatcherOptions {
  /** Writes under way at once (default 4; 1: strictly one after another). */
  maxInFlight?: number;
  /**
   * Items per write (default 20,000). One call's items are never split: a call larger than
   * this is written alone, whole.
   */
  maxItems?: number;
  /**
   * True (default): a write starts after the current I/O callbacks, so the calls made in one
   * turn share it. False: a free slot writes at once.
   */
  waitForTurn?: boolean;
}

interface Batch<T> {
  items: T[];
  settle: { resolve(): void; reject(e: unknown): void }[];
}

export class Batcher<T> {
  private readonly maxInFlight: number;
  private readonly maxItems: number;
  private readonly waitForTurn: boolean;
  /** Batches waiting for a write, oldest first; only the last one still takes items. */
  private readonly waiting: Batch<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    options: BatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.maxItems = options.maxItems ?? 20_000;
    this.waitForTurn = options.waitForTurn ?? true;
  }

  /** Resolves once a write carrying these items is done; rejects with that write's error. */
  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let last = this.waiting[this.waiting.length - 1];
      if (!last || (last.items.length > 0 && last.items.length + items.length > this.maxItems)) {
        last = { items: [], settle: [] };
        this.waiting.push(last);
      }
      for (const item of items) last.items.push(item);
      last.settle.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing waits and no write is under way. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.maxInFlight) return;
    if (!this.waitForTurn) {
      this.flush();
      return;
    }
    this.scheduled = true;
    // After the current I/O callbacks: calls made in the same turn share one write.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.shift() as Batch<T>;
      this.inFlight++;
      this.started(batch)
        .then(
          () => {
            for (const s of batch.settle) s.resolve();
          },
          (err: unknown) => {
            for (const s of batch.settle) s.reject(err);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.schedule();
          if (this.isIdle()) for (const wake of this.idle.splice(0)) wake();
        });
    }
  }

  /** The batch's write; one that throws before returning a promise fails like one that rejects. */
  private started(batch: Batch<T>): Promise<void> {
    try {
      return this.write(batch.items);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.waiting.length === 0;
  }
}
