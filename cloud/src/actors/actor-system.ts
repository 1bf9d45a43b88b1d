/**
 * A minimal actor runtime: one actor per key, created on its first message, with an ordered
 * mailbox (one message at a time, in arrival order) and passivation after an idle period.
 * tell() resolves when that message has been processed, which is what lets the consumer
 * commit offsets only after the effects are durable.
 */

export interface Actor<M> {
  receive(message: M): Promise<void>;
  /** Called once when the actor is passivated or the system stops. */
  stop?(): Promise<void>;
}

export interface ActorSystemOptions {
  /** An actor that received nothing for this long is stopped and forgotten. */
  idleMs: number;
}

interface Cell<M> {
  actor: Actor<M>;
  tail: Promise<void>;
  pending: number;
  idle: NodeJS.Timeout | undefined;
}

export class ActorSystem<M> {
  private readonly cells = new Map<string, Cell<M>>();

  constructor(
    private readonly create: (key: string) => Actor<M>,
    private readonly options: ActorSystemOptions,
  ) {}

  get size(): number {
    return this.cells.size;
  }

  tell(key: string, message: M): Promise<void> {
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { actor: this.create(key), tail: Promise.resolve(), pending: 0, idle: undefined };
      this.cells.set(key, cell);
    }
    const c = cell;
    if (c.idle) {
      clearTimeout(c.idle);
      c.idle = undefined;
    }
    c.pending++;
    const done = c.tail.then(() => c.actor.receive(message));
    // The mailbox moves on whatever this message's outcome; the caller sees the outcome.
    c.tail = done.then(
      () => this.settled(key, c),
      () => this.settled(key, c),
    );
    return done;
  }

  private settled(key: string, c: Cell<M>): void {
    c.pending--;
    if (c.pending > 0) return;
    c.idle = setTimeout(() => {
      if (c.pending > 0 || this.cells.get(key) !== c) return;
      this.cells.delete(key);
      void c.actor.stop?.();
    }, this.options.idleMs);
    c.idle.unref();
  }

  /** Waits for every mailbox to drain, then stops every actor. */
  async stopAll(): Promise<void> {
    const cells = [...this.cells.values()];
    this.cells.clear();
    await Promise.all(
      cells.map(async (c) => {
        if (c.idle) clearTimeout(c.idle);
        await c.tail;
        await c.actor.stop?.();
      }),
    );
  }
}
