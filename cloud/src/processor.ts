import type {
  Log,
  LogConsumer,
  Logger,
  LogProducer,
  LogRecord,
  ProduceRecord,
  Registry,
  Store,
} from '@fleetline/platform';
import { Counter } from '@fleetline/platform';
import {
  decodeEvent,
  decodeTelemetryBatch,
  encodeAlertChange,
  type FleetlineError,
  kafkaHeaders,
  kafkaTopics,
} from '@fleetline/proto';
import { ActorSystem } from './actors/actor-system.js';
import { vehicleDetectors } from './detectors/vehicle.js';
import { PoisonMessageError } from './errors.js';
import { VehicleActor, type VehicleMessage } from './vehicle-actor.js';

/**
 * The stream processor: a member of the processor consumer group on `telemetry.v1` and
 * `events.v1` (co-partitioned, so a vehicle's records of both reach one processor) that hands
 * each record to its vehicle's actor (which stores the samples, runs the detectors and
 * publishes alert changes to `alerts.v1`) and lets the log commit the offsets only once every
 * actor has finished with the records of the batch (effects durable first, offsets after).
 * A record that does not decode goes to the dead-letter topic with the reason; the rest of
 * the batch carries on.
 */

export interface ProcessorOptions {
  log: Log;
  store: Store;
  groupId: string;
  logger: Logger;
  metrics: Registry;
  /** Called when the consumer cannot continue (the process should exit and be restarted). */
  onFatal(error: Error): void;
  actorIdleMs?: number;
  /** The vehicles' detectors (default: every detector with the default plan). */
  detectors?: ReturnType<typeof vehicleDetectors>;
}

export interface RunningProcessor {
  /** Stops consuming, waits for the batch in hand and its commit, stops the actors. */
  close(): Promise<void>;
}

export async function startProcessor(o: ProcessorOptions): Promise<RunningProcessor> {
  const log = o.logger.child({ component: 'processor' });
  const handled = new Counter({
    name: 'fleetline_processor_records_total',
    help: 'Records handled by the processor, by topic and outcome',
    labelNames: ['topic', 'outcome'],
    registers: [o.metrics],
  });
  const samples = new Counter({
    name: 'fleetline_processor_samples_stored_total',
    help: 'Samples written to the store',
    registers: [o.metrics],
  });
  const alerts = new Counter({
    name: 'fleetline_processor_alert_changes_total',
    help: 'Alert changes published to alerts.v1, by type and transition (raised, cleared)',
    labelNames: ['type', 'transition'],
    registers: [o.metrics],
  });
  const duplicates = new Counter({
    name: 'fleetline_processor_duplicates_total',
    help: 'Records skipped because their vehicle had handled that seq already, by kind',
    labelNames: ['kind'],
    registers: [o.metrics],
  });
  const producer: LogProducer = await o.log.createProducer();
  const detectors = o.detectors ?? vehicleDetectors();
  const actors = new ActorSystem<VehicleMessage>(
    (deviceId) =>
      new VehicleActor(deviceId, {
        store: o.store,
        detectors,
        async publishAlerts(changes) {
          await producer.send(
            changes.map((c) => ({
              topic: kafkaTopics.alerts,
              key: c.deviceId,
              value: encodeAlertChange(c),
            })),
          );
          for (const c of changes) alerts.inc({ type: c.type, transition: c.transition });
        },
        onDuplicate: (_id, kind) => duplicates.inc({ kind }),
        onBadSnapshot(id, err) {
          log.warn(
            { deviceId: id, err: err.message },
            'vehicle snapshot not restored; starting afresh',
          );
        },
      }),
    {
      idleMs: o.actorIdleMs ?? 10 * 60_000,
    },
  );

  async function handle(records: readonly LogRecord[]): Promise<void> {
    const deadLetters: ProduceRecord[] = [];
    const deadLetter = (r: LogRecord, err: Error) => {
      const reason = err.message;
      log.warn(
        { topic: r.topic, partition: r.partition, offset: r.offset, reason },
        'record dead-lettered',
      );
      handled.inc({ topic: r.topic, outcome: 'dead-letter' });
      deadLetters.push({
        topic: kafkaTopics.deadLetter,
        key: r.key,
        value: r.value,
        headers: {
          ...r.headers,
          [kafkaHeaders.reason]: reason,
          [kafkaHeaders.errorCode]: (err as FleetlineError).code ?? 'UNKNOWN',
          [kafkaHeaders.source]: `${r.topic}/${r.partition}/${r.offset}`,
        },
      });
    };
    const work: Promise<void>[] = [];
    for (const r of records) {
      try {
        const message = decodeRecord(r);
        const deviceId =
          message.kind === 'telemetry' ? message.batch.deviceId : message.event.deviceId;
        if (deviceId !== r.key) {
          throw Object.assign(
            new Error(`record key ${r.key} does not match device_id ${deviceId}`),
            {
              code: 'PROCESSOR_KEY_MISMATCH',
            },
          );
        }
        work.push(
          actors.tell(r.key, message).then(
            () => {
              if (message.kind === 'telemetry') samples.inc(message.batch.samples.length);
              handled.inc({ topic: r.topic, outcome: 'stored' });
            },
            (err: Error) => {
              // A poison message goes to the dead letters; anything else (the store or the
              // log unavailable past retrying) fails the batch, to be delivered again.
              if (!(err instanceof PoisonMessageError)) throw err;
              deadLetter(r, err);
            },
          ),
        );
      } catch (err) {
        deadLetter(r, err as Error);
      }
    }
    await Promise.all(work);
    await producer.send(deadLetters);
  }

  const consumer: LogConsumer = await o.log.consume({
    groupId: o.groupId,
    topics: [kafkaTopics.telemetry, kafkaTopics.events],
    handle,
    onError: (err) => {
      log.error({ err }, 'processor cannot continue');
      o.onFatal(err);
    },
  });
  log.info({ groupId: o.groupId }, 'processor consuming');

  return {
    async close() {
      await consumer.close();
      await actors.stopAll();
      await producer.close();
    },
  };
}

/** A record of telemetry.v1 or events.v1 as its vehicle actor's message. */
function decodeRecord(r: LogRecord): VehicleMessage {
  const receivedAtMs = Number(r.headers[kafkaHeaders.receivedAt] ?? r.timestampMs) || r.timestampMs;
  return r.topic === kafkaTopics.events
    ? { kind: 'event', event: decodeEvent(r.value), receivedAtMs }
    : { kind: 'telemetry', batch: decodeTelemetryBatch(r.value), receivedAtMs };
}
