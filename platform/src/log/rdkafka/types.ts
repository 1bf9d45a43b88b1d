/**
 * The part of node-rdkafka's API this adapter uses, declared here rather than imported from the
 * package: node-rdkafka is not a dependency of the package (it compiles librdkafka at install,
 * and only the processes that choose it install it), and the build must pass without it.
 * Names and shapes follow its own index.d.ts.
 */

/** The error node-rdkafka raises: librdkafka's numeric code, negative for local errors. */
export interface LibrdKafkaError extends Error {
  readonly code: number;
  readonly errno: number;
  readonly origin: string;
  readonly isFatal?: boolean;
  readonly isRetriable?: boolean;
}

export type Config = Record<string, string | number | boolean | ((...args: never[]) => void)>;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

export interface Message extends TopicPartitionOffset {
  readonly value: Buffer | null;
  readonly key?: Buffer | string | null;
  readonly timestamp?: number;
  readonly headers?: readonly Record<string, Buffer | string>[];
}

export interface DeliveryReport extends TopicPartitionOffset {
  readonly opaque?: unknown;
}

export interface Metadata {
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly { readonly id: number; readonly leader: number }[];
  }[];
}

type Callback<T = void> = (err: LibrdKafkaError | null | undefined, value: T) => void;

interface Client {
  connect(options: { timeout?: number; topic?: string; allTopics?: boolean }, cb: Callback): this;
  isConnected(): boolean;
  getMetadata(
    options: { topic?: string; allTopics?: boolean; timeout?: number },
    cb: Callback<Metadata>,
  ): void;
  queryWatermarkOffsets(
    topic: string,
    partition: number,
    timeoutMs: number,
    cb: Callback<{ lowOffset: number; highOffset: number }>,
  ): void;
  on(event: 'event.error', listener: (err: LibrdKafkaError) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeListener(event: 'event.error', listener: (err: LibrdKafkaError) => void): this;
}

export interface KafkaConsumer extends Client {
  disconnect(cb: Callback<unknown>): this;
  subscribe(topics: string[]): this;
  assign(assignments: readonly (TopicPartition | TopicPartitionOffset)[]): this;
  unassign(): this;
  consume(count: number, cb: Callback<Message[]>): void;
  setDefaultConsumeTimeout(timeoutMs: number): void;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Commits asynchronously: the result comes to the offset_commit_cb of the config. */
  commit(offsets: readonly TopicPartitionOffset[]): this;
}

export interface Producer extends Client {
  /** Flushes (at most `timeoutMs`), then disconnects. */
  disconnect(timeoutMs: number, cb: Callback<unknown>): this;
  produce(
    topic: string,
    partition: number | null,
    value: Buffer,
    key: string,
    timestamp: number | null,
    opaque: unknown,
    headers: Record<string, string>[] | undefined,
  ): void;
  poll(): this;
  flush(timeoutMs: number, cb: (err: LibrdKafkaError | null) => void): this;
  on(
    event: 'delivery-report',
    listener: (err: LibrdKafkaError | null, report: DeliveryReport) => void,
  ): this;
  on(event: 'event.error', listener: (err: LibrdKafkaError) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

export interface AdminClient {
  createTopic(
    topic: { topic: string; num_partitions: number; replication_factor: number },
    timeoutMs: number,
    cb: (err: LibrdKafkaError | null | undefined) => void,
  ): void;
  disconnect(): void;
}

/** The module. */
export interface RdKafkaModule {
  readonly KafkaConsumer: new (config: Config, topicConfig: Config) => KafkaConsumer;
  readonly Producer: new (config: Config, topicConfig: Config) => Producer;
  readonly AdminClient: { create(config: Config): AdminClient };
  readonly librdkafkaVersion: string;
  /** Features librdkafka was built with (ssl, sasl_scram, ...). */
  readonly features: readonly string[];
  /** librdkafka's error codes by name (ERR__SSL: -181, ...). */
  readonly CODES: { readonly ERRORS: Readonly<Record<string, number>> };
}
