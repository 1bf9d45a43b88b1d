import type { Logger } from '@fleetline/platform';
import { ActorSystem } from './actors/actor-system.js';
import type { DetectorSet } from './detectors/detector-set.js';
import type { ProcessorMetrics } from './processor-metrics.js';
import { type Accepted, VehicleActor, type VehicleEffects } from './vehicle-actor.js';
import type { VehicleMessage, VehicleOutcome } from './vehicle-messages.js';

/**
 * The processor's vehicle actors: one per vehicle, created at its first message, passivated
 * when idle. What an actor reports — duplicates skipped, a device's stream started again, a
 * snapshot that could not be restored or was of older code — is counted and logged here.
 */

/**
 * An actor's answer is its accept(): the messages went through the detectors and their alert
 * changes are published, so its mailbox moves on to the vehicle's next messages while the
 * writes of these are under way.
 */
export type VehicleActors = ActorSystem<readonly VehicleMessage[], Accepted>;

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
  return new ActorSystem<readonly VehicleMessage[], Accepted>(
    (deviceId) => {
      const actor = new VehicleActor(deviceId, {
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
      });
      return { receive: (messages) => actor.accept(messages), stop: () => actor.stop() };
    },
    {
      idleMs: o.idleMs,
      maxQueued: o.maxQueued,
      onStopError: (deviceId, err) =>
        log.warn({ deviceId, err: err.message }, 'vehicle latest values not written at stop'),
    },
  );
}

/**
 * Tells a vehicle's actor, once the mailboxes have room (back-pressure on the caller);
 * resolves when the messages' effects are durable.
 */
export function tellWhenAccepting(actors: VehicleActors) {
  return async (deviceId: string, messages: readonly VehicleMessage[]): Promise<VehicleOutcome> => {
    await actors.whenAccepting();
    const accepted = await actors.tell(deviceId, messages);
    await accepted.durable;
    return accepted.outcome;
  };
}
