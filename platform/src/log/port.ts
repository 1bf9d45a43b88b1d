/**
 * The Log port: a partitioned, durable, replayable log with consumer groups — Kafka in
 * production, an SQLite-backed single-process log embedded. One contract test suite runs
 * against both adapters.
 */

export type Headers = Readonly<Record<string, string>>;

export interface ProduceRecord {
  readonly topic: string;
  /** Records with the same key land on the same partition, in order. */
  readonly key: string;
  readonly value: Uint8Array;
  readonly headers?: Headers;
}

export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: Uint8Array;
  readonly headers: Headers;
  /** Append time, epoch ms. */
  readonly timestampMs: number;
}

export interface LogProducer {
  /**
   * Appends records. Resolves only once every record is durable (Kafka: acknowledged by all
   * in-sync replicas; embedded: committed to disk). Records of one call, and of calls made in
   * sequence, keep their order per key.
   */
  send(records: readonly ProduceRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumeOptions {
  groupId: string;
  topics: readonly string[];
  /**
   * Receives records in partition order. With `inFlight` 1 (the default) the next records are
   * handed over only after the returned promise resolves; a record's offset is committed once
   * its call and every earlier call resolved: a record whose handling did not complete is
   * delivered again (at least once).
   */
  handle(records: readonly LogRecord[]): Promise<void>;
  /**
   * Calls of handle() with records of the routine topics (those not in urgentTopics) in
   * progress at once (default 1). Above 1, the next records — of the same partitions too — are
   * handed over before earlier calls resolve, in order: a handler that starts acting on a
   * call's records before it returns (as actors taking messages into their mailboxes do) sees
   * each partition in order. A call that fails commits nothing after it.
   */
  inFlight?: number;
  /**
   * Topics whose records go first into the next call, and for which a call is made even when
   * `inFlight` calls are in progress: they never wait behind a slow batch of the others (a
   * collision behind telemetry). Their records are still handed over in partition order, and
   * committed in call order as the rest.
   */
  urgentTopics?: readonly string[];
  /** Called when handling fails or the consumer cannot continue; the consumer stops. */
  onError?(error: Error): void;
  /** Upper bound on records per handle() call. */
  maxBatch?: number;
  /**
   * Where the group starts on a partition it has no committed offset for: its earliest record
   * (the default; a processing group must see everything) or its end (a live view that only
   * wants what comes next).
   */
  startAt?: 'earliest' | 'latest';
  /**
   * Called with this member's whole assignment whenever it changes (and once after joining).
   * After the call, no record of a partition outside it is handed to handle(); a batch in hand
   * when it comes still completes. This is where state kept per partition is let go.
   */
  onAssigned?(partitions: readonly TopicPartition[]): void;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface LogConsumer {
  /** Stops fetching, waits for the batches in hand, commits them and leaves the group. */
  close(): Promise<void>;
}

export interface TailOptions {
  topics: readonly string[];
  /**
   * Receives records in partition order. The next records of the same partition are handed
   * over only after the returned promise resolves. Nothing is committed: a tail is read once.
   */
  handle(records: readonly LogRecord[]): Promise<void>;
  /** Called when handling fails or the tail cannot continue; the tail stops. */
  onError?(error: Error): void;
  /** Upper bound on records per handle() call. */
  maxBatch?: number;
}

/**
 * A reader of what is appended from now on, in no consumer group: it shares its partitions
 * with nobody, commits nothing and leaves nothing behind when it closes (a consumer group
 * made for a one-off view lives on in the log: for ever in the embedded one, until Kafka
 * expires its offsets).
 */
export interface LogTail {
  /**
   * The partitions it reads: every partition the topics had when tail() was called (a
   * partition added later is not read; Fleetline never adds any, as that would move keys).
   */
  readonly partitions: readonly TopicPartition[];
  /** Stops reading and waits for the batch in hand. */
  close(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
}

export interface Log {
  readonly kind: 'kafka' | 'embedded';
  /** Creates missing topics; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  createProducer(): Promise<LogProducer>;
  consume(options: ConsumeOptions): Promise<LogConsumer>;
  /**
   * Reads the topics from their end, without a consumer group: records appended after the
   * returned promise resolves are all handed over; those appended before tail() was called,
   * none. The topics must exist (ensureTopics).
   */
  tail(options: TailOptions): Promise<LogTail>;
  close(): Promise<void>;
}
