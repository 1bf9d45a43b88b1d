import type { OutgoingSms } from './twilio-wire.js';

/**
 * Twilio takes no idempotency key on Messages, so a create whose answer was lost (a timeout,
 * a connection dropped after the request went out, a 5xx) may or may not have made a message.
 * The adapter files such an attempt under the message's idempotency key; the next send of the
 * key first lists Twilio's messages for one matching it, and pushes only if there is none.
 */
export interface UnsettledAttempt {
  /** When the first unanswered attempt began (ms since the epoch, our clock). */
  readonly startedAt: number;
  /** What was sent, to match against Twilio's list. */
  readonly sms: OutgoingSms;
}

/**
 * Where unsettled attempts are kept. In memory by default (MemoryAttemptStore); one kept in
 * the notifier's database would cover a restart between the lost answer and the retry. Its
 * methods should not reject: a rejection reaches the caller of `send` as one.
 */
export interface AttemptStore {
  get(idempotencyKey: string): Promise<UnsettledAttempt | undefined>;
  set(idempotencyKey: string, attempt: UnsettledAttempt): Promise<void>;
  delete(idempotencyKey: string): Promise<void>;
}

/** Bounded: past `capacity` keys the oldest goes first (a long-abandoned retry). */
export class MemoryAttemptStore implements AttemptStore {
  private readonly attempts = new Map<string, UnsettledAttempt>();

  constructor(private readonly capacity = 10_000) {}

  async get(idempotencyKey: string): Promise<UnsettledAttempt | undefined> {
    return this.attempts.get(idempotencyKey);
  }

  async set(idempotencyKey: string, attempt: UnsettledAttempt): Promise<void> {
    this.attempts.delete(idempotencyKey);
    this.attempts.set(idempotencyKey, attempt);
    if (this.attempts.size <= this.capacity) return;
    const oldest = this.attempts.keys().next().value;
    if (oldest !== undefined) this.attempts.delete(oldest);
  }

  async delete(idempotencyKey: string): Promise<void> {
    this.attempts.delete(idempotencyKey);
  }

  get size(): number {
    return this.attempts.size;
  }
}
