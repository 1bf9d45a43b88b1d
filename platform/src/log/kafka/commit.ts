import { isLostOwnership } from '../../failures/kafka.js';
import { partitionKey } from './records.js';

/** What a commit needs of a consumed message: where it is, and its own commit. */
export interface Committable {
  readonly topic: string;
  readonly partition: number;
  commit(): void | Promise<void>;
}

/**
 * Commits, per partition, the offset after the last message of the batch (a message's commit
 * stores its offset + 1). A commit refused because the partition moved away is not a failure:
 * its new owner starts from the last committed offset and re-handles these records, which the
 * idempotent writes downstream absorb.
 */
export async function commitHandled(batch: readonly Committable[]): Promise<void> {
  const last = new Map<string, Committable>();
  for (const m of batch) last.set(partitionKey(m.topic, m.partition), m);
  try {
    await Promise.all([...last.values()].map((m) => m.commit()));
  } catch (err) {
    if (isLostOwnership(err)) return;
    throw err;
  }
}
