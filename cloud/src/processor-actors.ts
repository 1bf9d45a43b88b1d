import type { Logger } from '@fleetline/platform';
import { ActorSystem } from './actors/actor-system.js';
import type { DetectorSet } from './detectors/detector-set.js';
import type { ProcessorMetrics } from './processor-metrics.js';
import { VehicleActor, type VehicleEffects } from './vehicle-actor.js';
import type { VehicleMessage, VehicleOutcome } from './vehicle-messages.js';

/**
 * The processor's vehicle actors: one per vehicle, created at its first message, passivated
 * when idle. What an actor reports — duplicates skipped, a device's stream started again, a
 * snapshot that could not be restored or was of older code — is counted and logged here.
 */

export type VehicleActors = ActorSystem<readonly VehicleMessage[], VehicleOutcome>;

export function vehicleActors(o: {
  effects: VehicleEffects;
  detectors: DetectorSet;
  metrics: Pick<ProcessorMetrics, 'duplicates' | 'restarts'>;
  log: Logger;
  idleMs: number;
  /** Messages queued in the mailboxes before tell() holds the caller back. */
  maxQueued: number;
}): VehicleActors {
  const { log, metrics } = o;
  return new ActorSystem<readonly VehicleMessage[], VehicleOutcome>(
    (deviceId) =>
      new VehicleActor(deviceId, {
        effects: o.effects,
        detectors: o.detectors,
        onDuplicate: (_id, kind) => metrics.duplicates.inc({ kind }),
        onRestart(id, restart) {
          metrics.restarts.inc({ reason: restart.reason });
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
      idleMs: o.idleMs,
      maxQueued: o.maxQueued,
      onStopError: (deviceId, err) =>
        log.warn({ deviceId, err: err.message }, 'vehicle latest values not written at stop'),
    },
  );
}

/** Tells a vehicle's actor, once the mailboxes have room (back-pressure on the caller). */
export function tellWhenAccepting(actors: VehicleActors) {
  return async (deviceId: string, messages: readonly VehicleMessage[]) => {
    await actors.whenAccepting();
    return actors.tell(deviceId, messages);
  };
}
