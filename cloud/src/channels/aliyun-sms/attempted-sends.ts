/**
 * The keys whose SendSms went unanswered: the message may have gone out, so before the key
 * is sent again, QuerySendDetails is asked whether it did. An attempt is written before the
 * push and removed once Aliyun's answer settles it, so a crash between the two leaves it to
 * reconcile too. The notifier's outbox can keep these across restarts by implementing the
 * interface; the default keeps them in memory.
 */

export interface AttemptedSend {
  /** The number as Aliyun writes it (mainland numbers bare): QuerySendDetails' PhoneNumber. */
  readonly phoneNumber: string;
  /** The Shanghai dates (`yyyyMMdd`) the attempts were made on: QuerySendDetails' SendDate. */
  readonly sendDates: readonly string[];
}

export interface AttemptedSends {
  get(key: string): Promise<AttemptedSend | undefined>;
  put(key: string, attempt: AttemptedSend): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Attempts in memory, bounded (the oldest goes first). One dropped past the bound is a key
 * that is sent again without asking first: the bound is far above what one process has in
 * flight or timed out at once.
 */
export class InMemoryAttemptedSends implements AttemptedSends {
  private readonly attempts = new Map<string, AttemptedSend>();

  constructor(private readonly capacity = 10_000) {}

  async get(key: string): Promise<AttemptedSend | undefined> {
    return this.attempts.get(key);
  }

  async put(key: string, attempt: AttemptedSend): Promise<void> {
    this.attempts.delete(key);
    this.attempts.set(key, attempt);
    if (this.attempts.size <= this.capacity) return;
    const oldest = this.attempts.keys().next().value;
    if (oldest !== undefined) this.attempts.delete(oldest);
  }

  async delete(key: string): Promise<void> {
    this.attempts.delete(key);
  }
}

/** The dates of an earlier attempt and the new ones, each once, oldest first. */
export function withDates(attempt: AttemptedSend | undefined, dates: readonly string[]): string[] {
  return [...new Set([...(attempt?.sendDates ?? []), ...dates])].sort();
}
