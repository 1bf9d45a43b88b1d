/**
 * At most `concurrency` tasks at once and at most `maxWaiting` waiting for a turn; a task
 * beyond both is not taken at all. The gateway runs password checks through one: each costs
 * 32 MiB of scrypt on libuv's thread pool (4 threads, shared with file and DNS work), and an
 * unbounded queue there turns a flood of wrong passwords into a minutes-long wait for every
 * device that connects behind it. Refusing at once lets the device retry later instead.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {
    if (!(concurrency >= 1) || !(maxWaiting >= 0)) {
      throw new RangeError(
        `concurrency ${concurrency} must be ≥ 1 and maxWaiting ${maxWaiting} ≥ 0`,
      );
    }
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a task given now would be refused. */
  get full(): boolean {
    return this.active >= this.concurrency && this.queue.length >= this.maxWaiting;
  }

  /** Runs the task when a turn comes; undefined, without running it, when full. */
  run<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.active < this.concurrency) {
      this.active++;
      return this.execute(task);
    }
    if (this.queue.length >= this.maxWaiting) return undefined;
    // The finishing task hands its turn over (active stays counted), so a task arriving in
    // between cannot slip past the waiting ones.
    return new Promise<void>((turn) => this.queue.push(turn)).then(() => this.execute(task));
  }

  private async execute<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
