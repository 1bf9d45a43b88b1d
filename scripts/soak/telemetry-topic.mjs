// What the gateway acknowledged, read back from the run's telemetry topic: every batch it
// acknowledged was appended there first.
import { decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';

const HOUR_MS = 3_600_000;

/**
 * Reads the run's telemetry topic from the start: per vehicle and signal, how many samples the
 * acknowledged batches carried (each batch once, by vehicle and sequence number).
 */
export async function readTelemetry(kafka, groupId) {
  const batches = new Set();
  const expected = new Map(); // `${deviceId}\t${signalId}` -> { count, hours:Set }
  let records = 0;
  const consumer = await kafka.consume({
    groupId,
    topics: [kafkaTopics.telemetry],
    startAt: 'earliest',
    maxBatch: 1000,
    async handle(rs) {
      for (const r of rs) {
        records++;
        const b = decodeTelemetryBatch(r.value);
        const id = `${b.deviceId}\t${b.seq}`;
        if (batches.has(id)) continue;
        batches.add(id);
        for (const s of b.samples) {
          const k = `${b.deviceId}\t${s.signalId}`;
          let e = expected.get(k);
          if (!e) {
            e = { count: 0, hours: new Set() };
            expected.set(k, e);
          }
          e.count++;
          e.hours.add(Math.floor(Number(s.timeMs) / HOUR_MS));
        }
      }
    },
  });
  return {
    batches,
    expected,
    records: () => records,
    close: () => consumer.close(),
  };
}
