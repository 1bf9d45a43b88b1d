import type { LogRecord, ProduceRecord } from '@fleetline/platform';
import {
  decodeEvent,
  decodeServiceUpdate,
  decodeStatus,
  decodeTelemetryRows,
  type FleetlineError,
  kafkaHeaders,
  kafkaTopics,
} from '@fleetline/proto';
import type { VehicleMessage } from './vehicle-messages.js';

/**
 * The processor's records: a record of telemetry.v1, events.v1, status.v1 or service.v1 as
 * its vehicle's message; a consumer batch as one message list per vehicle; and a record that
 * cannot be handled as its dead letter. Pure.
 */

/** A record of telemetry.v1, events.v1, status.v1 or service.v1 as its actor's message. */
export function decodeRecord(r: LogRecord): VehicleMessage {
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
      const batch = decodeTelemetryRows(r.value);
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

/** One vehicle's records of a batch, in log order, and their messages. */
export interface VehicleRecords {
  readonly records: LogRecord[];
  readonly messages: VehicleMessage[];
}

/**
 * A consumer batch split by vehicle (each vehicle's records in log order, as one message to
 * its actor), and the records that did not decode, with why.
 */
export function recordsByVehicle(records: readonly LogRecord[]): {
  vehicles: Map<string, VehicleRecords>;
  undecodable: { record: LogRecord; error: Error }[];
} {
  const vehicles = new Map<string, VehicleRecords>();
  const undecodable: { record: LogRecord; error: Error }[] = [];
  for (const r of records) {
    try {
      const message = decodeRecord(r);
      let v = vehicles.get(r.key);
      if (!v) {
        v = { records: [], messages: [] };
        vehicles.set(r.key, v);
      }
      v.records.push(r);
      v.messages.push(message);
    } catch (err) {
      undecodable.push({ record: r, error: err as Error });
    }
  }
  return { vehicles, undecodable };
}

/** The record as it goes to the dead-letter topic: as it was, with why and where from. */
export function deadLetterOf(r: LogRecord, err: Error): ProduceRecord {
  return {
    topic: kafkaTopics.deadLetter,
    key: r.key,
    value: r.value,
    headers: {
      ...r.headers,
      [kafkaHeaders.reason]: err.message,
      [kafkaHeaders.errorCode]: (err as FleetlineError).code ?? 'UNKNOWN',
      [kafkaHeaders.source]: `${r.topic}/${r.partition}/${r.offset}`,
    },
  };
}
