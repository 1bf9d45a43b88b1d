import { type DeliveryResult, delivered } from './alert-channel.js';

/**
 * The keys an adapter delivered lately, so that a key sent again is answered as a duplicate
 * instead of pushed twice (the AlertChannel rule). A send in flight holds its key too: a second
 * send of the key meanwhile waits for the first and shares its outcome. Only a delivery keeps
 * the key; after a failure it is free for the retry.
 *
 * In memory and bounded (the oldest key goes first): it covers retries and replays within one
 * process. The notifier's outbox, keyed the same way, is what covers restarts.
 */
export class IdempotencyWindow {
  private readonly delivered = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<DeliveryResult>>();

  constructor(private readonly capacity = 10_000) {}

  /** `push` the message of `key` unless it was delivered or is being sent. */
  async once(key: string, push: () => Promise<DeliveryResult>): Promise<DeliveryResult> {
    const messageId = this.delivered.get(key);
    if (messageId !== undefined) return delivered(messageId, true);
    const pending = this.inFlight.get(key);
    if (pending) {
      const first = await pending;
      return first.outcome === 'delivered' ? delivered(first.messageId, true) : first;
    }
    const sending = push();
    this.inFlight.set(key, sending);
    try {
      const result = await sending;
      if (result.outcome === 'delivered') this.remember(key, result.messageId);
      return result;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, messageId: string): void {
    this.delivered.set(key, messageId);
    if (this.delivered.size <= this.capacity) return;
    const oldest = this.delivered.keys().next().value;
    if (oldest !== undefined) this.delivered.delete(oldest);
  }
}
