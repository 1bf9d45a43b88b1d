import type {
  Log,
  LogConsumer,
  Logger,
  LogProducer,
  LogRecord,
  ProduceRecord,
  Registry,
  Store,
  TopicPartition,
} from '@fleetline/platform';
import {
  Batcher,
  type CleanupStack,
  Counter,
  callbackGuard,
  Gauge,
  Histogram,
  partitionForKey,
  startWithCleanup,
} from '@fleetline/platform';
import {
  decodeEvent,
  decodeServiceUpdate,
  decodeStatus,
  decodeTelemetryBatch,
  encodeAlertChange,
  type FleetlineError,
  kafkaHeaders,
  kafkaTopics,
} from '@fleetline/proto';
import { ActorSystem } from './actors/actor-system.js';
import type { DetectorSet } from './detectors/detector-set.js';
import { vehicleDetectors } from './detectors/vehicle.js';
import { OutageGate, withRetry } from './retry.js';
import { VehicleActor, type VehicleEffects } from './vehicle-actor.js';
import type { VehicleMessage, VehicleOutcome } from './vehicle-messages.js';

/**
 * The stream processor: a member of the processor consumer group on `telemetry.v1`,
 * `events.v1`, `status.v1` and `service.v1` (co-partitioned, so a vehicle's records of every
 * topic reach one processor). Each consumer batch is split by vehicle and each vehicle's records go to its
 * actor in one message; the log commits the batch's offsets only once every actor has made
 * its effects durable. The actors' store writes are gathered across vehicles (group commit),
 * so a batch costs a few large writes rather than one per vehicle.
 *
 * Partitions that move to another processor at a rebalance take their actors with them: the
 * actors here finish what they hold and stop, so a partition that comes back later restores
 * its state from the store rather than from a stale copy in memory.
 *
 * A clock ticks the live actors (offline, maintenance by date) and, less often, sweeps the
 * vehicles this processor owns but holds no actor for, so a vehicle that went silent still
 * opens its offline alert.
 *
 * A record that does not decode, or that makes its vehicle's detectors throw, goes to the
 * dead-letter topic with the reason; the rest of the batch carries on.
 */

export interface ProcessorOptions {
  log: Log;
  store: Store;
  groupId: string;
  logger: Logger;
  metrics: Registry;
  /** Called when the consumer cannot continue (the process should exit and be restarted). */
  onFatal(error: Error): void;
  /** Partitions per topic (to tell which vehicles this processor owns; default 12). */
  partitions?: number;
  actorIdleMs?: number;
  /** Messages queued in the actors' mailboxes before the consumer is held back. */
  maxQueued?: number;
  /** How often the live actors get a clock tick (default 60 s; 0: never). */
  tickMs?: number;
  /** How often the owned vehicles without a live actor get one (default 1 h; 0: never). */
  sweepMs?: number;
  /** The clock (tests). */
  now?: () => number;
  /** The vehicles' detectors (default: every detector with the default plan). */
  detectors?: DetectorSet;
}

export interface RunningProcessor {
  /** Stops consuming, waits for the batch in hand and its commit, stops the actors. */
  close(): Promise<void>;
  /** Ticks every owned vehicle now (what the sweep does), resolving when they are handled. */
  sweep(): Promise<void>;
  /** Live actors. */
  readonly actors: number;
}

export function startProcessor(o: ProcessorOptions): Promise<RunningProcessor> {
  // What it opens (producer, timers, consumer) closes in reverse order, by close() or when a
  // later step of the start fails.
  return startWithCleanup((cleanup) => runProcessor(o, cleanup));
}

async function runProcessor(o: ProcessorOptions, cleanup: CleanupStack): Promise<RunningProcessor> {
  const log = o.logger.child({ component: 'processor' });
  const guard = callbackGuard({ logger: log, metrics: o.metrics });
  const now = o.now ?? Date.now;
  const partitions = o.partitions ?? 12;
  const handled = new Counter({
    name: 'fleetline_processor_records_total',
    help: 'Records handled by the processor, by topic and outcome (stored: its effects made durable; duplicate: handled before, skipped; dead-letter)',
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
    help: 'Messages skipped because their vehicle had handled them already, by kind',
    labelNames: ['kind'],
    registers: [o.metrics],
  });
  const restarts = new Counter({
    name: 'fleetline_processor_seq_restarts_total',
    help: 'Vehicles whose message stream started again (a new seq epoch; a seq far behind, or handled before but carried by a newer message), by reason',
    labelNames: ['reason'],
    registers: [o.metrics],
  });
  const clockFailures = new Counter({
    name: 'fleetline_processor_clock_failures_total',
    help: 'Clock ticks whose effects could not be made durable (retried at the next tick)',
    registers: [o.metrics],
  });
  const batchSeconds = new Histogram({
    name: 'fleetline_processor_batch_seconds',
    help: 'Time from a consumer batch handed over to its effects durable (before the commit)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [o.metrics],
  });
  const batchRecords = new Histogram({
    name: 'fleetline_processor_batch_records',
    help: 'Records per consumer batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000],
    registers: [o.metrics],
  });
  const producer: LogProducer = cleanup.adopt(await o.log.createProducer());
  const detectors = o.detectors ?? vehicleDetectors();
  const store = o.store;
  // Effects that cannot be made durable wait for the store or log to come back: the batch in
  // hand stays in hand, nothing is committed, and the process does not stop (see OutageGate).
  const gate = new OutageGate('store or log', log);
  new Gauge({
    name: 'fleetline_processor_waiting_effects',
    help: 'Effects waiting for the store or log to become available again (0: no outage)',
    registers: [o.metrics],
    collect() {
      this.set(gate.waiting);
    },
  });
  const durable = <T>(op: () => Promise<T>) => gate.run(op);
  // Group commit: the items of every actor's call in one turn go out in one write.
  const groupCommit = <T>(write: (items: T[]) => Promise<void>) => {
    const batcher = new Batcher(write);
    return (items: readonly T[]) => batcher.add(items);
  };
  const retried =
    <T>(write: (items: T[]) => Promise<void>) =>
    (items: T[]) =>
      durable(() => write(items));
  const effects: VehicleEffects = {
    publishAlerts: groupCommit(
      retried((changes) =>
        producer.send(
          changes.map(
            (c): ProduceRecord => ({
              topic: kafkaTopics.alerts,
              key: c.deviceId,
              value: encodeAlertChange(c),
            }),
          ),
        ),
      ),
    ),
    writeSamples: groupCommit(retried((rows) => store.writeSamples(rows))),
    writeLatest: groupCommit(retried((rows) => store.writeLatest(rows))),
    writeEvents: groupCommit(retried((rows) => store.writeEvents(rows))),
    markSeen: groupCommit(retried((rows) => store.markSeen(rows))),
    recordStatus: (status) => durable(() => store.recordStatus(status)),
    saveSnapshot: (snapshot) => durable(() => store.saveSnapshot(snapshot)),
    loadSnapshot: (id) => durable(() => store.loadSnapshot(id)),
  };
  const actors = new ActorSystem<readonly VehicleMessage[], VehicleOutcome>(
    (deviceId) =>
      new VehicleActor(deviceId, {
        effects,
        detectors,
        onDuplicate: (_id, kind) => duplicates.inc({ kind }),
        onRestart(id, restart) {
          restarts.inc({ reason: restart.reason });
          log.info({ deviceId: id, ...restart }, 'vehicle seq stream started again');
        },
        onBadSnapshot(id, err) {
          log.warn(
            { deviceId: id, err: err.message },
            'vehicle snapshot not restored; starting afresh',
          );
        },
        onSnapshotMigrated(id, restored) {
          log.info(
            {
              deviceId: id,
              fromVersion: restored.fromVersion,
              filled: restored.filled,
              dropped: restored.dropped,
            },
            'vehicle snapshot of older code restored: parts missing started from defaults',
          );
        },
      }),
    {
      idleMs: o.actorIdleMs ?? 10 * 60_000,
      maxQueued: o.maxQueued ?? 10_000,
      onStopError: (deviceId, err) =>
        log.warn({ deviceId, err: err.message }, 'vehicle latest values not written at stop'),
    },
  );
  // Closed after the consumer: its last batch reaches the actors, which then flush and stop.
  cleanup.defer(() => actors.stopAll());
  new Gauge({
    name: 'fleetline_processor_actors',
    help: 'Live vehicle actors',
    registers: [o.metrics],
    collect() {
      this.set(actors.size);
    },
  });
  new Gauge({
    name: 'fleetline_processor_mailbox_backlog',
    help: 'Messages queued in the vehicle actors’ mailboxes',
    registers: [o.metrics],
    collect() {
      this.set(actors.backlog);
    },
  });

  /** Tells a vehicle's actor, once the mailboxes have room (back-pressure on the caller). */
  async function tell(deviceId: string, messages: readonly VehicleMessage[]) {
    await actors.whenAccepting();
    return actors.tell(deviceId, messages);
  }

  const countOutcome = (outcome: VehicleOutcome) => {
    samples.inc(outcome.samples);
    for (const c of outcome.alertChanges) alerts.inc({ type: c.type, transition: c.transition });
  };

  async function handle(records: readonly LogRecord[]): Promise<void> {
    const timer = batchSeconds.startTimer();
    batchRecords.observe(records.length);
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
    // Each vehicle's records, in log order, as one message to its actor.
    const byVehicle = new Map<string, { records: LogRecord[]; messages: VehicleMessage[] }>();
    for (const r of records) {
      try {
        const message = decodeRecord(r);
        let v = byVehicle.get(r.key);
        if (!v) {
          v = { records: [], messages: [] };
          byVehicle.set(r.key, v);
        }
        v.records.push(r);
        v.messages.push(message);
      } catch (err) {
        deadLetter(r, err as Error);
      }
    }
    const work: Promise<void>[] = [];
    for (const [deviceId, v] of byVehicle) {
      owner.set(deviceId, (v.records[0] as LogRecord).partition);
      work.push(
        tell(deviceId, v.messages).then((outcome) => {
          countOutcome(outcome);
          const poisoned = new Set(outcome.poisoned.map((p) => p.index));
          const duplicate = new Set(outcome.duplicates);
          for (const p of outcome.poisoned) deadLetter(v.records[p.index] as LogRecord, p.error);
          for (const [i, r] of v.records.entries()) {
            if (poisoned.has(i)) continue;
            handled.inc({ topic: r.topic, outcome: duplicate.has(i) ? 'duplicate' : 'stored' });
          }
        }),
      );
    }
    // Store or log failures past retrying reject: the batch fails and is delivered again.
    await Promise.all(work);
    await producer.send(deadLetters);
    timer();
  }

  // The partitions this processor owns now, and the partition of each live actor's vehicle.
  let assigned = new Set<number>();
  const owner = new Map<string, number>();
  // Called from the log's event callbacks: under the guard, as are the clock's timers.
  const onAssigned = guard.wrap('processor.assigned', (tps: readonly TopicPartition[]) => {
    assigned = new Set(tps.map((tp) => tp.partition));
    const gone = (key: string) => {
      const p = owner.get(key) ?? partitionForKey(key, partitions);
      return !assigned.has(p);
    };
    log.info({ partitions: [...assigned].sort((a, b) => a - b) }, 'partitions assigned');
    return actors.passivate(gone).then(() => {
      for (const key of owner.keys()) if (!actors.has(key)) owner.delete(key);
    });
  });

  async function tickAll(keys: Iterable<string>): Promise<void> {
    const nowMs = now();
    const ticks: Promise<void>[] = [];
    for (const deviceId of keys) {
      ticks.push(
        tell(deviceId, [{ kind: 'tick', nowMs }]).then(countOutcome, (err: Error) => {
          clockFailures.inc();
          log.warn({ deviceId, err: err.message }, 'clock tick not handled');
        }),
      );
    }
    await Promise.all(ticks);
  }

  async function sweep(): Promise<void> {
    const vehicles = await withRetry(() => store.listVehicles());
    const mine = vehicles
      .map((v) => v.deviceId)
      .filter((id) => assigned.has(owner.get(id) ?? partitionForKey(id, partitions)));
    await tickAll(mine);
  }

  const timers: NodeJS.Timeout[] = [];
  cleanup.defer(() => {
    for (const t of timers) clearInterval(t);
  });
  const every = (ms: number, run: () => Promise<void>) => {
    if (ms <= 0) return;
    let running = false;
    const t = setInterval(
      guard.wrap('processor.clock', () => {
        if (running) return; // a slow round is not stacked on
        running = true;
        // A round that throws at once is a failed round like one that rejects.
        return Promise.resolve()
          .then(run)
          .catch((err: Error) => log.warn({ err: err.message }, 'clock round failed'))
          .finally(() => {
            running = false;
          });
      }),
      ms,
    );
    t.unref();
    timers.push(t);
  };
  // Each live actor is ticked once per tickMs, but not all at once: every second a slice of
  // them (by a hash of the vehicle), so a fleet's ticks do not queue in front of its records.
  const tickMs = o.tickMs ?? 60_000;
  if (tickMs > 0) {
    const sliceMs = Math.min(1000, tickMs);
    const slices = Math.max(1, Math.round(tickMs / sliceMs));
    let slice = 0;
    every(sliceMs, () => {
      const now = slice++ % slices;
      return tickAll([...actors.keys()].filter((k) => partitionForKey(k, slices) === now));
    });
  }
  every(o.sweepMs ?? 3_600_000, sweep);

  const consumer: LogConsumer = await o.log.consume({
    groupId: o.groupId,
    topics: [kafkaTopics.telemetry, kafkaTopics.events, kafkaTopics.status, kafkaTopics.service],
    handle,
    onAssigned,
    // Under a backlog a batch spans several records per vehicle, whose effects are then
    // written once: the batch grows with the load.
    maxBatch: 2_000,
    onError: (err) => {
      log.error({ err }, 'processor cannot continue');
      o.onFatal(err);
    },
  });
  cleanup.adopt(consumer);
  // Before the consumer closes: a batch waiting out an outage is given up (not committed, so it
  // is delivered again), or the close would wait for the outage to end.
  cleanup.defer(() => gate.stop());
  log.info({ groupId: o.groupId }, 'processor consuming');

  return {
    // The consumer first, then the clock, the actors and the producer.
    close: () => cleanup.close(),
    sweep,
    get actors() {
      return actors.size;
    },
  };
}

/** A record of telemetry.v1, events.v1, status.v1 or service.v1 as its actor's message. */
function decodeRecord(r: LogRecord): VehicleMessage {
  const receivedAtMs = Number(r.headers[kafkaHeaders.receivedAt] ?? r.timestampMs) || r.timestampMs;
  let message: VehicleMessage;
  let deviceId: string;
  switch (r.topic) {
    case kafkaTopics.events: {
      const event = decodeEvent(r.value);
      message = { kind: 'event', event, receivedAtMs };
      deviceId = event.deviceId;
      break;
    }
    case kafkaTopics.service: {
      const update = decodeServiceUpdate(r.value);
      const { change } = update;
      message = {
        kind: 'service',
        input:
          change.kind === 'plan'
            ? { kind: 'plan', timeMs: update.timeMs, plan: change.plan }
            : {
                kind: 'serviced',
                timeMs: update.timeMs,
                odometerKm: change.serviced.odometerKm,
              },
      };
      deviceId = update.deviceId;
      break;
    }
    case kafkaTopics.status: {
      const status = decodeStatus(r.value);
      message = { kind: 'status', status, receivedAtMs };
      deviceId = status.deviceId;
      break;
    }
    default: {
      const batch = decodeTelemetryBatch(r.value);
      message = { kind: 'telemetry', batch, receivedAtMs };
      deviceId = batch.deviceId;
    }
  }
  if (deviceId !== r.key) {
    throw Object.assign(new Error(`record key ${r.key} does not match device_id ${deviceId}`), {
      code: 'PROCESSOR_KEY_MISMATCH',
    });
  }
  return message;
}
