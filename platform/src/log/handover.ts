/**
 * The batches a group member has handed to its handler and not yet committed, for both
 * adapters. Up to `inFlight` batches holding routine records are in the handler's hands at
 * once (1: strictly one after another); a batch of urgent records only (ConsumeOptions
 * .urgentTopics) may start whatever is in hand, so an urgent record never waits for a slow
 * routine batch. Offsets are committed in the order the batches were handed over, each batch's
 * once it and every batch before it resolved: a batch that resolves early waits for those
 * before it, and a failure commits nothing after it (those records are delivered again).
 *
 * A batch's partitions must be handed over in order across batches — a partition's records
 * in a later batch than its earlier ones — which the adapters do: a partition's records are
 * always of one lane (urgent or routine), and each lane hands its buffer over front first.
 */
export interface HandoverOptions<B> {
  /** Routine batches in the handler's hands at once. */
  inFlight: number;
  handle(batch: B): Promise<void>;
  commit(batch: B): void | Promise<void>;
  /** A handle() or commit() failed: nothing after it is committed; called once. */
  onError(error: Error): void;
  /** A slot may have come free (a handle() call settled): time to look for the next batch. */
  onSettled(): void;
}

export class Handover<B> {
  private routine = 0;
  /** The commit of the last batch handed over (settles after those of every earlier batch). */
  private committed: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(private readonly o: HandoverOptions<B>) {}

  /** Whether a batch with routine records may start now. */
  get routineSlotFree(): boolean {
    return !this.failed && this.routine < this.o.inFlight;
  }

  /** Hands `batch` over; `routine` tells whether it holds routine records (it takes a slot). */
  start(batch: B, routine: boolean): void {
    if (routine) this.routine++;
    const settle = () => {
      if (routine) this.routine--;
      this.o.onSettled();
    };
    // A failure is reported before the slot is given back: no batch starts after it.
    const handled = callHandle(this.o, batch).then(settle, (err: Error) => {
      this.fail(err);
      settle();
      throw err;
    });
    const before = this.committed;
    this.committed = (async () => {
      // A failure of an earlier batch is reported by that batch; this one commits nothing.
      const earlierOk = await before.then(
        () => true,
        () => false,
      );
      await handled;
      if (!earlierOk || this.failed) throw new HandoverStopped();
      await this.o.commit(batch);
    })();
    this.committed.catch((err: Error) => {
      if (!(err instanceof HandoverStopped)) this.fail(err);
    });
  }

  /**
   * Stops committing and reports `error` once: a batch's failure, or one of the source. Later
   * failures are not reported.
   */
  fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.o.onError(error);
  }

  /** Resolves once every batch handed over so far has settled and been committed or not. */
  settled(): Promise<void> {
    return this.committed.then(
      () => {},
      () => {},
    );
  }
}

/** handle() of a batch, a synchronous throw as a rejection. */
function callHandle<B>(o: HandoverOptions<B>, batch: B): Promise<void> {
  try {
    return o.handle(batch);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** A batch after a failed one: not committed, and not a failure of its own. */
class HandoverStopped extends Error {
  constructor() {
    super('an earlier batch failed');
  }
}
