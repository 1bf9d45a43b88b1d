/**
 * The keys whose push may have reached Tencent without an answer saying so (a timeout, a
 * connection lost mid-request). Tencent does not de-duplicate by SessionContext, so before such
 * a key is sent again the channel looks for its status report, and pushes only if there is
 * none. The state has to outlive the send that left it; the notifier's outbox will keep it
 * across restarts, through this interface. Keys leave once a delivery settles them.
 */

export interface InDoubtSend {
  /** The E.164 number the push went to: the status reports are pulled per number. */
  readonly phoneNumber: string;
  /** Epoch milliseconds of the first unanswered push: where the search for it starts. */
  readonly since: number;
}

export interface InDoubtSendStore {
  get(key: string): Promise<InDoubtSend | undefined>;
  put(key: string, send: InDoubtSend): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * In memory and bounded (the oldest key goes first): enough within one process, as the
 * IdempotencyWindow is. A key dropped for room is sent again without the look-up.
 */
export class MemoryInDoubtSendStore implements InDoubtSendStore {
  private readonly sends = new Map<string, InDoubtSend>();

  constructor(private readonly capacity = 10_000) {}

  async get(key: string): Promise<InDoubtSend | undefined> {
    return this.sends.get(key);
  }

  async put(key: string, send: InDoubtSend): Promise<void> {
    this.sends.delete(key);
    this.sends.set(key, send);
    if (this.sends.size <= this.capacity) return;
    const oldest = this.sends.keys().next().value;
    if (oldest !== undefined) this.sends.delete(oldest);
  }

  async delete(key: string): Promise<void> {
    this.sends.delete(key);
  }
}
