import { LogUnavailableError } from '../../errors.js';
import {
  classifyRdKafkaFailure,
  isLostOwnershipRdKafka,
  RdKafkaCode,
  rdkafkaLogError,
} from '../../failures/rdkafka.js';
import { BatchPump } from '../kafka/batch-pump.js';
import { partitionKey } from '../kafka/records.js';
import type { ConsumeOptions, LogRecord, TopicPartition } from '../port.js';
import { connect, disconnect } from './client.js';
import { withCode } from './event-errors.js';
import { batchConsumer, batchConsumerConfig, consumeBatch, toRecord } from './messages.js';
import type {
  Config,
  KafkaConsumer,
  LibrdKafkaError,
  RdKafkaModule,
  TopicPartitionOffset,
} from './types.js';

/** A fetched record as the pump holds it. */
type Fetched = LogRecord;

/** How long a member may take to join its group before consume() gives up. */
const JOIN_TIMEOUT_MS = 60_000;
/** Records asked of one consume call: the pump cuts them into batches of maxBatch. */
const CONSUME_MAX = 500;

/**
 * A member of a Kafka consumer group through node-rdkafka, as the Log port's consume()
 * promises it (see joinKafkaGroup): the same BatchPump hands batches over and orders their
 * commits, which are made by hand, per partition, once the pump says so.
 *
 * Records are read with consume(n) calls in a loop rather than node-rdkafka's flowing mode:
 * the flowing loop holds a thread of libuv's pool for as long as the consumer lives, and a few
 * members and tails in one process (the pool has four) would starve every other use of it —
 * connecting, resolving names, the file system — whereas a consume call gives its thread back
 * once it has what was fetched, or after IDLE_CONSUME_MS when nothing came. The loop goes on
 * while the pump holds back, as librdkafka serves the group's rebalances and the results of
 * commits inside these calls; only the routine topics' partitions are paused then, so an
 * urgent topic keeps coming.
 */
export async function joinRdKafkaGroup(
  kafka: RdKafkaModule,
  base: Config,
  options: ConsumeOptions,
): Promise<{ close(): Promise<void> }> {
  const member = new GroupMember(kafka, base, options);
  try {
    await connect(kafka, member.consumer, `cannot join Kafka group ${options.groupId}`);
    member.consumer.subscribe([...options.topics]);
    member.start();
    await member.joined();
  } catch (err) {
    await member.stop();
    throw rdkafkaLogError(err, `cannot join Kafka group ${options.groupId}`);
  }
  return { close: () => member.close() };
}

class GroupMember {
  readonly consumer: KafkaConsumer;
  private readonly pump: BatchPump<Fetched>;
  private readonly urgent: ReadonlySet<string>;
  private assigned: readonly TopicPartition[] = [];
  private keys = new Set<string>();
  /** The pump holds back: the routine topics' partitions are paused. */
  private holding = false;
  /** The pump stopped: every partition is paused. */
  private halted = false;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private join: { resolve(): void; reject(err: Error): void } | undefined;
  /** Commits waiting for their result, oldest first. */
  private readonly commits: { resolve(): void; reject(err: Error): void }[] = [];

  constructor(
    kafka: RdKafkaModule,
    base: Config,
    private readonly options: ConsumeOptions,
  ) {
    this.urgent = new Set(options.urgentTopics ?? []);
    this.consumer = new kafka.KafkaConsumer(
      {
        ...base,
        'group.id': options.groupId,
        // Offsets are committed by hand, after handling (commit below), never automatically.
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        // Range gives one member the same partition numbers of every topic with as many
        // partitions (it assigns each topic's partitions to the members in the same order):
        // Fleetline's topics have equal counts, so this is the co-partitioning of
        // co-partitioning.ts — one vehicle's topics meet in one process.
        'partition.assignment.strategy': 'range',
        'session.timeout.ms': 10_000,
        'heartbeat.interval.ms': 1_000,
        'fetch.wait.max.ms': 200,
        // Records prefetched per partition, bounding memory while the pump holds back.
        'queued.max.messages.kbytes': 16_384,
        ...batchConsumerConfig,
        rebalance_cb: (err: LibrdKafkaError, assignment: TopicPartition[]) =>
          this.rebalance(err, assignment),
        offset_commit_cb: (err: LibrdKafkaError | undefined, offsets: unknown[]) =>
          this.committed(err, offsets),
      },
      { 'auto.offset.reset': options.startAt === 'latest' ? 'latest' : 'earliest' },
    );
    batchConsumer(this.consumer);
    this.consumer.on('error', () => {});
    this.consumer.on('event.error', (err) => this.failOn(withCode(kafka, err)));
    this.pump = new BatchPump<Fetched>({
      source: { pause: () => this.hold(true), resume: () => this.hold(false) },
      maxBatch: options.maxBatch ?? 500,
      inFlight: options.inFlight ?? 1,
      ...(this.urgent.size > 0 ? { isUrgent: (r: Fetched) => this.urgent.has(r.topic) } : {}),
      handle: (batch) => options.handle(batch),
      commit: (batch) => this.commit(batch),
      onError: (err) => options.onError?.(err),
    });
  }

  /** Resolves at the first assignment; fails at the deadline or on a lasting failure. */
  joined(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return new Promise<void>((resolve, reject) => {
      this.join = { resolve, reject };
      timer = setTimeout(
        () =>
          reject(
            new LogUnavailableError(
              `no assignment from group ${this.options.groupId} within ${JOIN_TIMEOUT_MS} ms`,
            ),
          ),
        JOIN_TIMEOUT_MS,
      );
    }).finally(() => {
      clearTimeout(timer);
      this.join = undefined;
    });
  }

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Waits for the batches in hand and their commits, then leaves the group. */
  async close(): Promise<void> {
    await this.pump.stop();
    await this.stop();
  }

  /** Stops reading and leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loopDone;
    await disconnect(this.consumer);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let messages: Awaited<ReturnType<typeof consumeBatch>>;
      try {
        messages = await consumeBatch(this.consumer, CONSUME_MAX);
      } catch (err) {
        // librdkafka reconnects by itself after a failure it may retry; one that lasts stops
        // the pump (failOn), and the loop goes on serving the group until the member closes.
        this.failOn(err as LibrdKafkaError);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (!this.pump.isRunning) {
        // Stopped on a failure (or closing): nothing more is handed over nor fetched, but the
        // loop goes on serving the group until the member is closed.
        if (!this.halted) {
          this.halted = true;
          this.applyFlow();
        }
        continue;
      }
      for (const m of messages) {
        // Fetched before a rebalance took the partition away: its new owner reads it again.
        if (this.keys.has(partitionKey(m.topic, m.partition))) this.pump.push(toRecord(m));
      }
    }
  }

  /**
   * The group's rebalance (eager: every partition is revoked, then the new assignment given).
   * Records are handed over only for the partitions assigned now; onAssigned hears of each
   * new assignment, not of the revocation before it, which lasts only as long as the rebalance
   * (an empty one would have the application let go of partitions that come straight back).
   */
  private rebalance(err: LibrdKafkaError, assignment: TopicPartition[]): void {
    const assign = err?.code === RdKafkaCode.ASSIGN_PARTITIONS;
    try {
      if (assign) this.consumer.assign(assignment);
      else this.consumer.unassign();
    } catch (e) {
      // Refused while disconnecting: the member is leaving anyway.
      if (this.running) this.pump.fail(rdkafkaLogError(e, 'Kafka rebalance failed'));
      return;
    }
    this.assigned = assign ? assignment.map(({ topic, partition }) => ({ topic, partition })) : [];
    this.keys = new Set(this.assigned.map((p) => partitionKey(p.topic, p.partition)));
    // Buffered records of a partition that moved away are dropped, as are late arrivals.
    this.pump.retain((r) => this.keys.has(partitionKey(r.topic, r.partition)));
    if (!assign) return;
    // Newly assigned partitions start fetching: hold them back as the pump is.
    if (this.holding || this.halted) this.applyFlow();
    this.options.onAssigned?.(this.assigned);
    this.join?.resolve();
  }

  private hold(holding: boolean): void {
    this.holding = holding;
    this.applyFlow();
  }

  /**
   * Pauses the assigned partitions that must not be fetched now (the routine topics' while the
   * pump holds back, all once it stopped) and resumes the others.
   */
  private applyFlow(): void {
    const stop = (p: TopicPartition) => this.halted || (this.holding && !this.urgent.has(p.topic));
    const paused = this.assigned.filter(stop);
    const flowing = this.assigned.filter((p) => !stop(p));
    try {
      if (paused.length > 0) this.consumer.pause(paused);
      if (flowing.length > 0) this.consumer.resume(flowing);
    } catch {
      // A partition revoked meanwhile: the next assignment is paused or not as the pump is.
    }
  }

  /**
   * Commits, per partition, the offset after the batch's last record there. A commit refused
   * because the partition moved away is no failure (see commitHandled). node-rdkafka commits
   * asynchronously and reports each commit's result to offset_commit_cb, in order: as the
   * pump commits one batch after the other (and nothing else commits), each result settles
   * the oldest commit waiting for one.
   */
  private commit(batch: readonly Fetched[]): Promise<void> {
    const next = new Map<string, TopicPartitionOffset>();
    for (const r of batch) {
      next.set(partitionKey(r.topic, r.partition), {
        topic: r.topic,
        partition: r.partition,
        offset: r.offset + 1,
      });
    }
    return new Promise((resolve, reject) => {
      const settle = { resolve, reject };
      this.commits.push(settle);
      try {
        this.consumer.commit([...next.values()]);
      } catch (err) {
        this.commits.splice(this.commits.indexOf(settle), 1);
        if (isLostOwnershipRdKafka(err)) resolve();
        else reject(rdkafkaLogError(err, 'Kafka did not take the commit'));
      }
    });
  }

  /** A commit's result (offset_commit_cb): per partition, an offset or librdkafka's error. */
  private committed(err: LibrdKafkaError | undefined, offsets: unknown[]): void {
    const settle = this.commits.shift();
    if (!settle) return;
    if (err) {
      if (isLostOwnershipRdKafka(err)) settle.resolve();
      else settle.reject(rdkafkaLogError(err, 'Kafka did not take the commit'));
      return;
    }
    // A partition's own failure, when the request's is not set, comes as words only: with no
    // code to tell a partition that moved away, it is taken as one that may pass.
    const failed = offsets.filter((o): o is Error => o instanceof Error);
    if (failed.length === 0) settle.resolve();
    else {
      settle.reject(
        new LogUnavailableError(
          `Kafka did not take the commit of ${failed.length} partition(s): ${failed.map((e) => e.message).join('; ')}`,
        ),
      );
    }
  }

  /** Stops the pump (or the join) on a failure that lasts; one that passes is left to librdkafka. */
  private failOn(err: LibrdKafkaError): void {
    if (classifyRdKafkaFailure(err).retryable) return;
    const failure = rdkafkaLogError(err, 'Kafka consumer failed');
    // Before the loop starts, connect() reports it; once closing, it no longer matters.
    if (this.join) this.join.reject(failure);
    else if (this.running) this.pump.fail(failure);
  }
}
