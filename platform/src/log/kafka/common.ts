/** What every Kafka adapter is given, whichever driver speaks the protocol. */
export interface KafkaLogOptions {
  brokers: readonly string[];
  clientId: string;
  /** Replication factor of topics created by ensureTopics(). */
  replicationFactor: number;
}

/** Consumer group timings shared by the drivers, so a group behaves alike whichever runs it. */
export const groupTimings = {
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 30_000,
  /** How long a fetch waits for records before returning empty. */
  maxWaitMs: 200,
} as const;

/**
 * How long a produced record may wait for Kafka (broker down, no leader) before its send()
 * fails. The gateway then drops the device's connection without a PUBACK and the device
 * resends; a longer wait would only hold more connections open against a dead log.
 */
export const deliveryTimeoutMs = 30_000;

/** A message naming the cause, including the nested causes drivers aggregate. */
export function describe(err: unknown): string {
  const e = err as Error & { errors?: Error[] };
  const inner = e.errors?.map((x) => describe(x)).join('; ');
  return inner ? `${e.message} (${inner})` : String(e.message ?? err);
}

/**
 * Errors a commit meets when a rebalance moved the partition away: its new owner starts from
 * the last committed offset and re-handles those records, which idempotent writes absorb.
 */
export function isLostOwnership(err: unknown): boolean {
  return /REBALANCE_IN_PROGRESS|ILLEGAL_GENERATION|UNKNOWN_MEMBER_ID|FENCED|rebalancing/i.test(
    describe(err),
  );
}
