import { LogClosedError } from '../../errors.js';
import { classifyRdKafkaFailure, RdKafkaCode, rdkafkaLogError } from '../../failures/rdkafka.js';
import type { LogProducer, ProduceRecord } from '../port.js';
import { connect, disconnect } from './client.js';
import { withCode } from './event-errors.js';
import type { Config, LibrdKafkaError, Producer, RdKafkaModule } from './types.js';

/**
 * How long a record may wait for Kafka (broker down, no leader) before its send() fails: the
 * gateway then drops the device's connection without a PUBACK and the device resends.
 */
const DELIVERY_TIMEOUT_MS = 30_000;
/**
 * Delivery reports reach JavaScript when the producer is polled: while records are on their
 * way it is polled this often (ms), so a report waits at most this long to settle its send().
 */
const DELIVERY_POLL_MS = 2;
/** How long closing with the log waits for reports of records already handed to librdkafka. */
const CLOSE_WAIT_MS = 5_000;

/**
 * An idempotent producer (acks=all, in-order retries: a resolved send() is on every in-sync
 * replica, and a retry cannot duplicate or reorder it), placing keys with Kafka's Java
 * partitioner (murmur2_random: murmur2 for a key, as partitionForKey and the other clients).
 *
 * `producer.close()` waits for every record's report, then disconnects; `client.close()` is
 * the log closing under it: it waits at most CLOSE_WAIT_MS, then fails the sends still
 * waiting.
 */
export async function openRdKafkaProducer(
  kafka: RdKafkaModule,
  base: Config,
  deliveryTimeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<{ producer: LogProducer; client: { close(): Promise<void> } }> {
  const producer = new kafka.Producer(
    {
      ...base,
      'enable.idempotence': true,
      acks: 'all',
      dr_cb: true,
      // Records of concurrent sends go out together; a lone send waits at most this long.
      'linger.ms': 2,
    },
    { 'message.timeout.ms': deliveryTimeoutMs, partitioner: 'murmur2_random' },
  );
  const queue = new DeliveryQueue(producer, (err) => withCode(kafka, err));
  try {
    await connect(kafka, producer, 'cannot reach Kafka');
  } catch (err) {
    await disconnect(producer);
    throw err;
  }
  return {
    producer: { send: (records) => queue.send(records), close: () => queue.close() },
    client: { close: () => queue.close(CLOSE_WAIT_MS) },
  };
}

/** One send() call waiting for the delivery reports of its records. */
interface Delivery {
  remaining: number;
  failed: boolean;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Hands records to librdkafka in the order send() was called — which keeps each key's order
 * across concurrent sends without funnelling them through one request at a time (librdkafka
 * batches and, being idempotent, keeps a partition's order with several requests in flight) —
 * and settles each send() from the delivery reports. When librdkafka's queue is full, records
 * wait here, in order, and go in as reports free room.
 */
class DeliveryQueue {
  private outstanding = 0;
  private readonly waiting: { record: ProduceRecord; delivery: Delivery }[] = [];
  private readonly pending = new Set<Delivery>();
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer,
    withCode: (err: LibrdKafkaError) => LibrdKafkaError,
  ) {
    producer.on('delivery-report', (err, report) => {
      this.outstanding--;
      const delivery = report.opaque as Delivery;
      if (err) this.fail(delivery, rdkafkaLogError(err, 'Kafka did not acknowledge a record'));
      else if (--delivery.remaining === 0 && !delivery.failed) this.settle(delivery);
      this.checkIdle();
    });
    // Refused authentication or TLS, or a fatal error (idempotence broken): no record will
    // get through, so the sends in progress fail now rather than at their timeout.
    producer.on('event.error', (event) => {
      const err = withCode(event);
      if (classifyRdKafkaFailure(err).retryable) return;
      const failure = rdkafkaLogError(err, 'Kafka producer failed');
      for (const d of [...this.pending]) this.fail(d, failure);
    });
    producer.on('error', () => {});
  }

  send(records: readonly ProduceRecord[]): Promise<void> {
    if (this.closing) return Promise.reject(new LogClosedError('the producer is closed'));
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const delivery: Delivery = { remaining: records.length, failed: false, resolve, reject };
      this.pending.add(delivery);
      for (const record of records) {
        if (this.waiting.length > 0 || !this.produce(record, delivery)) {
          this.waiting.push({ record, delivery });
        }
      }
      this.startPolling();
    });
  }

  /**
   * Waits for the reports of every record (at most `waitMs`; then the sends still waiting
   * fail), then disconnects.
   */
  close(waitMs = DELIVERY_TIMEOUT_MS + 5_000): Promise<void> {
    this.closing ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          this.idle = resolve;
          this.checkIdle();
        }),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
      for (const d of [...this.pending]) this.fail(d, new LogClosedError('the producer closed'));
      this.waiting.length = 0;
      clearInterval(this.timer);
      this.timer = undefined;
      await disconnect(this.producer);
    })();
    return this.closing;
  }

  /** False when librdkafka's queue is full and the record must wait. */
  private produce(record: ProduceRecord, delivery: Delivery): boolean {
    if (delivery.failed) return true;
    try {
      this.producer.produce(
        record.topic,
        null,
        Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
        record.key,
        null,
        delivery,
        record.headers ? Object.entries(record.headers).map(([k, v]) => ({ [k]: v })) : undefined,
      );
      this.outstanding++;
      return true;
    } catch (err) {
      if ((err as LibrdKafkaError).code === RdKafkaCode.QUEUE_FULL) return false;
      this.fail(delivery, rdkafkaLogError(err, `Kafka did not take a record of ${record.topic}`));
      return true;
    }
  }

  private settle(delivery: Delivery): void {
    this.pending.delete(delivery);
    delivery.resolve();
  }

  private fail(delivery: Delivery, err: Error): void {
    if (delivery.failed) return;
    delivery.failed = true;
    this.pending.delete(delivery);
    delivery.reject(err);
  }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.producer.poll();
      while (this.waiting.length > 0) {
        const next = this.waiting[0] as (typeof this.waiting)[number];
        if (!this.produce(next.record, next.delivery)) break;
        this.waiting.shift();
      }
      if (this.outstanding === 0 && this.waiting.length === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      this.checkIdle();
    }, DELIVERY_POLL_MS);
  }

  private checkIdle(): void {
    if (this.idle && this.outstanding === 0 && this.waiting.length === 0) this.idle();
  }
}
