import { Handover } from '../handover.js';

/** The side of a stream the pump holds back while its buffer is full. */
export interface PausableSource {
  pause(): void;
  resume(): void;
}

export interface BatchPumpOptions<M> {
  source: PausableSource;
  /** Messages per batch at most. */
  maxBatch: number;
  /** Batches with routine messages in the handler's hands at once (default 1). */
  inFlight?: number;
  /** Whether a message is urgent (default: none is): see Handover. */
  isUrgent?(message: M): boolean;
  /** Hands a batch over; a rejection stops the pump. */
  handle(batch: M[]): Promise<void>;
  /** Commits a batch, after it and every earlier batch were handled. */
  commit(batch: M[]): Promise<void>;
  /** The pump stopped on a failure of handle() or commit(), or on one passed to fail(). */
  onError(error: Error): void;
}

/**
 * Hands a flowing stream's messages over in batches (Handover keeps the slots and the commit
 * order). Messages buffer while the slots are taken. Without urgent messages the source is
 * paused while every slot is taken, so memory stays bounded by the stream's high water mark
 * plus the batches in hand; with them it flows on until a full batch of routine messages
 * waits, so that an urgent message can still arrive and go out. A batch starts on a later turn
 * of the event loop than the message that brought it, so that messages arriving together go
 * out together.
 */
export class BatchPump<M> {
  private readonly urgent: M[] = [];
  private readonly routine: M[] = [];
  private scheduled = false;
  private running = true;
  private paused = false;
  private readonly handover: Handover<M[]>;

  constructor(private readonly o: BatchPumpOptions<M>) {
    this.handover = new Handover<M[]>({
      inFlight: o.inFlight ?? 1,
      handle: o.handle,
      commit: o.commit,
      onError: (err) => {
        // Reported even when the pump was being stopped: the batch did not complete.
        this.running = false;
        o.onError(err);
      },
      onSettled: () => this.schedule(),
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Messages waiting for a batch. */
  get buffered(): number {
    return this.urgent.length + this.routine.length;
  }

  push(message: M): void {
    (this.o.isUrgent?.(message) ? this.urgent : this.routine).push(message);
    this.schedule();
  }

  /** Drops the buffered messages `keep` refuses (those of partitions moved away). */
  retain(keep: (message: M) => boolean): void {
    for (const buffer of [this.urgent, this.routine]) {
      for (let i = buffer.length - 1; i >= 0; i--) {
        if (!keep(buffer[i] as M)) buffer.splice(i, 1);
      }
    }
    this.schedule();
  }

  /** Stops on a failure and reports it, once; later failures are not reported. */
  fail(error: Error): void {
    if (!this.running) return;
    this.running = false;
    this.handover.fail(error);
  }

  /** Starts no further batch; resolves when the batches in hand have completed. */
  stop(): Promise<void> {
    this.running = false;
    // Read once the caller's turn is over: a batch it has just scheduled never starts.
    return Promise.resolve().then(() => this.handover.settled());
  }

  private schedule(): void {
    this.flow();
    if (this.scheduled || !this.running || this.buffered === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running) {
      const slot = this.handover.routineSlotFree;
      if (!slot && this.urgent.length === 0) break;
      if (this.buffered === 0) break;
      // Urgent messages first; routine ones fill the batch when a slot is free.
      const batch = this.urgent.splice(0, this.o.maxBatch);
      const routine = slot && batch.length < this.o.maxBatch && this.routine.length > 0;
      if (routine) batch.push(...this.routine.splice(0, this.o.maxBatch - batch.length));
      this.handover.start(batch, routine);
    }
    this.flow();
  }

  /** Pauses or resumes the source for what is buffered and in hand. */
  private flow(): void {
    if (!this.running) return;
    const full = !this.handover.routineSlotFree;
    const hold = this.o.isUrgent
      ? this.routine.length >= this.o.maxBatch
      : full && this.buffered > 0;
    if (hold && !this.paused) this.o.source.pause();
    if (!hold && this.paused) this.o.source.resume();
    this.paused = hold;
  }
}
