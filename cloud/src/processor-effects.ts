import {
  Batcher,
  type DeviceStatusTable,
  type EventTable,
  type LatestValueTable,
  type LogProducer,
  type ProduceRecord,
  type SampleTable,
  type SnapshotTable,
  type VehicleTable,
} from '@fleetline/platform';
import { encodeAlertChange, kafkaTopics } from '@fleetline/proto';
import type { OutageGate } from './retry.js';
import type { VehicleEffects } from './vehicle-actor.js';

/**
 * Where the processor's vehicle actors make their effects durable: alert changes to
 * `alerts.v1`, rows to the telemetry database. The writes of every actor are gathered (group
 * commit), so a consumer batch costs a few large writes rather than one per vehicle. Every effect
 * waits out an outage of the telemetry database or log at the gate instead of failing (see
 * OutageGate): the batch in hand stays in hand, nothing is committed, and the process does not
 * stop.
 */
/** The parts of the telemetry database the processor writes and reads. */
export type ProcessorTables = SampleTable &
  LatestValueTable &
  EventTable &
  VehicleTable &
  DeviceStatusTable &
  SnapshotTable;

export function processorEffects(o: {
  producer: LogProducer;
  telemetryDb: ProcessorTables;
  gate: OutageGate;
}): VehicleEffects {
  const { producer, telemetryDb, gate } = o;
  const durable = <T>(op: () => Promise<T>) => gate.run(op);
  // Group commit: the items of every actor's call in one turn go out in one write, retried as
  // a whole at the gate.
  const groupCommit = <T>(write: (items: T[]) => Promise<void>) => {
    const batcher = new Batcher<T>((items) => durable(() => write(items)));
    return (items: readonly T[]) => batcher.add(items);
  };
  return {
    publishAlerts: groupCommit((changes) =>
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
    writeSamples: groupCommit((rows) => telemetryDb.writeSamples(rows)),
    writeLatest: groupCommit((rows) => telemetryDb.writeLatest(rows)),
    writeEvents: groupCommit((rows) => telemetryDb.writeEvents(rows)),
    markSeen: groupCommit((rows) => telemetryDb.markSeen(rows)),
    recordStatus: (status) => durable(() => telemetryDb.recordStatus(status)),
    saveSnapshot: (snapshot) => durable(() => telemetryDb.saveSnapshot(snapshot)),
    loadSnapshot: (id) => durable(() => telemetryDb.loadSnapshot(id)),
  };
}
