import type { Logger, LogProducer, LogRecord, ProduceRecord } from '@fleetline/platform';
import type { PartitionOwnership } from './partition-ownership.js';
import type { ProcessorMetrics } from './processor-metrics.js';
import { deadLetterOf, recordsByVehicle, type VehicleRecords } from './processor-records.js';
import type { VehicleMessage, VehicleOutcome } from './vehicle-messages.js';

/**
 * A consumer batch through the actors: split by vehicle, each vehicle's records to its actor
 * in one message, all vehicles at once. The batch resolves once every actor has made its
 * effects durable and the dead letters are in the log; then the log commits its offsets.
 * A record that does not decode, or that makes its vehicle's detectors throw, goes to the
 * dead-letter topic with the reason; the rest of the batch carries on. Telemetry database or log
 * failures past retrying reject: the batch fails and is delivered again.
 */
export function batchHandler(o: {
  tell(deviceId: string, messages: readonly VehicleMessage[]): Promise<VehicleOutcome>;
  ownership: PartitionOwnership;
  producer: LogProducer;
  metrics: ProcessorMetrics;
  log: Logger;
}): (records: readonly LogRecord[]) => Promise<void> {
  const { metrics, log } = o;
  return async (records) => {
    const timer = metrics.batchSeconds.startTimer();
    metrics.batchRecords.observe(records.length);
    const deadLetters: ProduceRecord[] = [];
    const deadLetter = (r: LogRecord, err: Error) => {
      log.warn(
        { topic: r.topic, partition: r.partition, offset: r.offset, reason: err.message },
        'record dead-lettered',
      );
      metrics.handled.inc({ topic: r.topic, outcome: 'dead-letter' });
      deadLetters.push(deadLetterOf(r, err));
    };
    const counted = (v: VehicleRecords, outcome: VehicleOutcome) => {
      metrics.countOutcome(outcome);
      const poisoned = new Set(outcome.poisoned.map((p) => p.index));
      const duplicate = new Set(outcome.duplicates);
      for (const p of outcome.poisoned) deadLetter(v.records[p.index] as LogRecord, p.error);
      for (const [i, r] of v.records.entries()) {
        if (poisoned.has(i)) continue;
        metrics.handled.inc({ topic: r.topic, outcome: duplicate.has(i) ? 'duplicate' : 'stored' });
      }
    };
    const { vehicles, undecodable } = recordsByVehicle(records);
    for (const { record, error } of undecodable) deadLetter(record, error);
    const work: Promise<void>[] = [];
    for (const [deviceId, v] of vehicles) {
      o.ownership.heard(deviceId, (v.records[0] as LogRecord).partition);
      work.push(o.tell(deviceId, v.messages).then((outcome) => counted(v, outcome)));
    }
    await Promise.all(work);
    await o.producer.send(deadLetters);
    timer();
  };
}
