/**
 * A small actor runtime: one actor per key, created on its first message, with an ordered
 * mailbox (one message at a time, in arrival order), passivation after an idle period or on
 * demand (a partition moved to another process), and bounded mailboxes.
 *
 * tell() resolves with the actor's answer once that message has been processed, which is what
 * lets a consumer commit offsets only after the effects are durable. Its sender must not run
 * ahead of the actors: `whenAccepting()` resolves once the messages queued across all
 * mailboxes are under the bound, and a sender that awaits it before each tell() is held back —
 * back-pressure from slow actors (a slow database) into the log consumer, whose fetching stops
 * while it waits.
 */

export interface Actor<M, R = void> {
  receive(message: M): Promise<R>;
  /** Called once when the actor is passivated or the system stops, after its last message. */
  stop?(): Promise<void>;
}

export interface ActorSystemOptions {
  /** An actor that received nothing for this long is stopped and forgotten. */
  idleMs: number;
  /** Messages queued (not yet processed) across all mailboxes before senders are held back. */
  maxQueued?: number;
  /** Reports an actor whose stop() failed (it is forgotten all the same). */
  onStopError?(key: string, error: Error): void;
}

interface Cell<M, R> {
  readonly key: string;
  readonly actor: Actor<M, R>;
  tail: Promise<void>;
  pending: number;
  idle: NodeJS.Timeout | undefined;
  /** Set when the actor is to stop once its mailbox is empty (passivate()). */
  retiring: boolean;
}

export class ActorSystem<M, R = void> {
  private readonly cells = new Map<string, Cell<M, R>>();
  /** Actors stopping, by key: a successor starts after. */
  private readonly stopping = new Map<string, Promise<void>>();
  private queued = 0;
  private waiters: (() => void)[] = [];
  private readonly maxQueued: number;

  constructor(
    private readonly create: (key: string) => Actor<M, R>,
    private readonly options: ActorSystemOptions,
  ) {
    this.maxQueued = options.maxQueued ?? 10_000;
  }

  /** Live actors. */
  get size(): number {
    return this.cells.size;
  }

  /** Messages told but not yet processed, across all mailboxes. */
  get backlog(): number {
    return this.queued;
  }

  /** Whether the key has a live actor (one not stopping). */
  has(key: string): boolean {
    const c = this.cells.get(key);
    return c !== undefined && !c.retiring;
  }

  /** Keys of the live actors. */
  keys(): IterableIterator<string> {
    return this.cells.keys();
  }

  /** Resolves once the backlog is under the bound (at once when it is). */
  whenAccepting(): Promise<void> {
    if (this.queued < this.maxQueued) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  tell(key: string, message: M): Promise<R> {
    let cell = this.cells.get(key);
    if (!cell || cell.retiring) {
      // A retiring actor finishes its mailbox and stops; the message goes to its successor,
      // queued behind both so the two never run at once and order holds (an actor's stop()
      // may still be finishing what its last messages began).
      const stopping = this.stopping.get(key);
      const before = stopping ?? cell?.tail ?? Promise.resolve();
      cell = {
        key,
        actor: this.create(key),
        tail: before,
        pending: 0,
        idle: undefined,
        retiring: false,
      };
      this.cells.set(key, cell);
    }
    const c = cell;
    if (c.idle) {
      clearTimeout(c.idle);
      c.idle = undefined;
    }
    c.pending++;
    this.queued++;
    const done = c.tail.then(() => c.actor.receive(message));
    // The mailbox moves on whatever this message's outcome; the caller sees the outcome.
    c.tail = done.then(
      () => this.settled(c),
      () => this.settled(c),
    );
    return done;
  }

  /**
   * Stops the actors whose key matches, each once its mailbox is empty; their next message
   * creates a fresh actor (which restores its state from the telemetry database, written meanwhile
   * by whoever owned it). Resolves when they have stopped.
   */
  async passivate(matches: (key: string) => boolean): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const c of this.cells.values()) {
      if (!matches(c.key) || c.retiring) continue;
      c.retiring = true;
      if (c.idle) clearTimeout(c.idle);
      stopping.push(this.stopActor(c, c.tail));
    }
    await Promise.all(stopping);
  }

  private settled(c: Cell<M, R>): void {
    c.pending--;
    this.queued--;
    while (this.queued < this.maxQueued && this.waiters.length > 0) this.waiters.shift()?.();
    if (c.pending > 0 || c.retiring) return;
    c.idle = setTimeout(() => {
      if (c.pending > 0 || this.cells.get(c.key) !== c) return;
      c.retiring = true;
      void this.stopActor(c, Promise.resolve());
    }, this.options.idleMs);
    c.idle.unref();
  }

  /**
   * Stops the actor once `after` (its mailbox) has settled, and forgets it; a successor
   * created meanwhile waits until it has stopped.
   */
  private stopActor(c: Cell<M, R>, after: Promise<void>): Promise<void> {
    const stopped = after
      .then(() => {
        if (this.cells.get(c.key) === c) this.cells.delete(c.key);
        return this.stopNow(c);
      })
      .finally(() => {
        if (this.stopping.get(c.key) === stopped) this.stopping.delete(c.key);
      });
    this.stopping.set(c.key, stopped);
    return stopped;
  }

  private async stopNow(c: Cell<M, R>): Promise<void> {
    try {
      await c.actor.stop?.();
    } catch (err) {
      this.options.onStopError?.(c.key, err as Error);
    }
  }

  /** Waits for every mailbox to drain, then stops every actor. */
  async stopAll(): Promise<void> {
    await this.passivate(() => true);
  }
}
