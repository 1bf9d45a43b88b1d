/** The side of a stream the pump holds back while a batch is handled. */
export interface PausableSource {
  pause(): void;
  resume(): void;
}

export interface BatchPumpOptions<M> {
  source: PausableSource;
  /** Messages per batch at most. */
  maxBatch: number;
  /** Handles one batch (hands it over, commits it); a throw stops the pump. */
  run(batch: M[]): Promise<void>;
  /** The pump stopped on a failure of run(), or on one passed to fail() while running. */
  onError(error: Error): void;
}

/**
 * Hands a flowing stream's messages over one batch at a time. Messages buffer while a batch is
 * being handled, and the source is paused for the duration, so memory stays bounded by the
 * stream's high water mark plus one batch; when the buffer is empty again the source resumes.
 * A batch starts on a later turn of the event loop than the message that brought it, so that
 * messages arriving together go out together.
 */
export class BatchPump<M> {
  private readonly buffer: M[] = [];
  private busy = false;
  private scheduled = false;
  private running = true;
  private inHand: Promise<void> = Promise.resolve();

  constructor(private readonly o: BatchPumpOptions<M>) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Messages waiting for a batch. */
  get buffered(): number {
    return this.buffer.length;
  }

  push(message: M): void {
    this.buffer.push(message);
    this.schedule();
  }

  /** Drops the buffered messages `keep` refuses (those of partitions moved away). */
  retain(keep: (message: M) => boolean): void {
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      if (!keep(this.buffer[i] as M)) this.buffer.splice(i, 1);
    }
  }

  /** Stops on a failure and reports it, once; later failures are not reported. */
  fail(error: Error): void {
    if (!this.running) return;
    this.running = false;
    this.o.onError(error);
  }

  /** Starts no further batch; resolves when the batch in hand has completed. */
  stop(): Promise<void> {
    this.running = false;
    // Read once the caller's turn is over: a batch it has just scheduled never starts.
    return Promise.resolve().then(() => this.inHand);
  }

  private schedule(): void {
    if (this.busy || this.scheduled || !this.running || this.buffer.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.runBatch());
  }

  private runBatch(): void {
    this.scheduled = false;
    if (this.busy || !this.running || this.buffer.length === 0) return;
    this.busy = true;
    this.o.source.pause();
    const batch = this.buffer.splice(0, this.o.maxBatch);
    this.inHand = (async () => {
      try {
        await this.o.run(batch);
      } catch (err) {
        // Reported even when the pump was being stopped: the batch did not complete.
        this.running = false;
        this.o.onError(err as Error);
      } finally {
        this.busy = false;
      }
      if (!this.running) return;
      if (this.buffer.length > 0) this.schedule();
      else this.o.source.resume();
    })();
  }
}
