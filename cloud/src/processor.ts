import type { Log, Logger, Registry, TopicPartition } from '@fleetline/platform';
import { type CleanupStack, callbackGuard, startWithCleanup } from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';
import type { DetectorSet } from './detectors/detector-set.js';
import { vehicleDetectors } from './detectors/vehicle.js';
import { PartitionOwnership } from './partition-ownership.js';
import { tellWhenAccepting, vehicleActors } from './processor-actors.js';
import { batchHandler } from './processor-batch.js';
import { ProcessorClock } from './processor-clock.js';
import { type ProcessorTables, processorEffects } from './processor-effects.js';
import { processorMetrics } from './processor-metrics.js';
import { OutageGate } from './retry.js';

/**
 * The stream processor: a member of the processor consumer group on `telemetry.v1`,
 * `events.v1`, `status.v1` and `service.v1` (co-partitioned, so a vehicle's records of every
 * topic reach one processor). Each consumer batch is split by vehicle and each vehicle's
 * records go to its actor in one message; the log commits the batch's offsets only once every actor
 * has made its effects durable. Events are urgent: they are handed over in batches of their
 * own, which do not wait for a telemetry batch in hand, and an actor publishes alert changes
 * before its writes, taking the vehicle's next messages while those are under way. The actors' telemetry database writes are gathered across vehicles
 * (group commit), so a batch costs a few large writes rather than one per vehicle.
 *
 * Partitions that move to another processor at a rebalance take their actors with them: the
 * actors here finish what they hold and stop, so a partition that comes back later restores
 * its state from the telemetry database rather than from a stale copy in memory.
 *
 * A clock ticks the live actors (offline, maintenance by date) and, less often, sweeps the
 * vehicles this processor owns but holds no actor for, so a vehicle that went silent still
 * opens its offline alert.
 *
 * A record that does not decode, or that makes its vehicle's detectors throw, goes to the
 * dead-letter topic with the reason; the rest of the batch carries on.
 *
 * This file composes the parts, each testable alone: processor-metrics.ts, processor-records.ts
 * (decoding, grouping by vehicle, dead letters), processor-batch.ts (a consumer batch through
 * the actors), partition-ownership.ts, processor-clock.ts (ticks and sweep),
 * processor-effects.ts (group commit behind the OutageGate) and processor-actors.ts.
 */

export interface ProcessorOptions {
  log: Log;
  telemetryDb: ProcessorTables;
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
  const metrics = processorMetrics(o.metrics);
  const producer = cleanup.adopt(await o.log.createProducer());
  // Effects that cannot be made durable wait for the telemetry database or log to come back: the
  // batch in hand stays in hand, nothing is committed, and the process does not stop (see
  // OutageGate).
  const gate = new OutageGate('store or log', log);
  const actors = vehicleActors({
    effects: processorEffects({ producer, telemetryDb: o.telemetryDb, gate }),
    detectors: o.detectors ?? vehicleDetectors(),
    metrics,
    log,
    idleMs: o.actorIdleMs ?? 10 * 60_000,
    maxQueued: o.maxQueued ?? 10_000,
  });
  // The gauges read this processor's gate and actors until the actors have stopped.
  cleanup.defer(metrics.observe({ gate, actors }));
  // Closed after the consumer: its last batch reaches the actors, which then flush and stop.
  cleanup.defer(() => actors.stopAll());
  const tell = tellWhenAccepting(actors);
  const ownership = new PartitionOwnership(o.partitions ?? 12);
  const clock = new ProcessorClock({
    tickMs: o.tickMs ?? 60_000,
    sweepMs: o.sweepMs ?? 3_600_000,
    now: o.now ?? Date.now,
    tell,
    liveVehicles: () => actors.keys(),
    listVehicles: () => o.telemetryDb.listVehicles(),
    owns: (deviceId) => ownership.owns(deviceId),
    metrics,
    log,
    guard,
  });
  cleanup.defer(clock.start());

  const consumer = await o.log.consume({
    groupId: o.groupId,
    topics: [kafkaTopics.telemetry, kafkaTopics.events, kafkaTopics.status, kafkaTopics.service],
    handle: batchHandler({ tell, ownership, producer, metrics, log }),
    // Called from the log's event callbacks: under the guard, as are the clock's timers.
    onAssigned: guard.wrap('processor.assigned', (tps: readonly TopicPartition[]) => {
      ownership.assign(tps);
      log.info({ partitions: ownership.partitionsOwned }, 'partitions assigned');
      // Actors of partitions gone elsewhere finish what they hold and stop.
      return actors
        .passivate((key) => !ownership.owns(key))
        .then(() => ownership.keepOnly((key) => actors.has(key)));
    }),
    // Under a backlog a batch spans several records per vehicle, whose effects are then
    // written once: the batch grows with the load. Several batches are in hand at once: while
    // an actor's writes are under way, what the next batches bring it waits and is written
    // together after them (see VehicleActor), so the writes grow with the load too.
    maxBatch: 2_000,
    inFlight: 4,
    // The fast lane: an edge event (a collision) goes to its vehicle's actor at once, even
    // while a batch of telemetry is being written; the actor, free again as soon as that
    // batch went through its detectors, publishes the alert before any write of its own.
    urgentTopics: [kafkaTopics.events],
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
    sweep: () => clock.sweep(),
    get actors() {
      return actors.size;
    },
  };
}
