import type { ProduceRecord } from '@fleetline/platform';
import {
  decodeEvent,
  decodeStatus,
  decodeTelemetryBatch,
  type FleetlineError,
  kafkaHeaders as Headers,
  kafkaTopicFor,
  kafkaTopics,
} from '@fleetline/proto';
import type { UplinkTopic } from './acl.js';

/**
 * What the gateway does with one authorised uplink publish: forward it to its Kafka topic, or,
 * when the payload breaks the contract, route it to the dead-letter topic with the reason.
 * A dead-lettered message is still stored and acknowledged — a device cannot fix a bad payload
 * by resending it, and must not block its spool on it.
 */

export type Routed =
  | { outcome: 'forward'; record: ProduceRecord }
  | { outcome: 'dead-letter'; record: ProduceRecord; reason: string };

const decoders = {
  telemetry: decodeTelemetryBatch,
  events: decodeEvent,
  status: decodeStatus,
} as const;

export function routeUplink(
  topic: UplinkTopic,
  mqttTopic: string,
  payload: Uint8Array,
  gatewayId: string,
  receivedAtMs: number,
): Routed {
  const headers = {
    [Headers.gateway]: gatewayId,
    [Headers.receivedAt]: String(receivedAtMs),
    [Headers.mqttTopic]: mqttTopic,
  };
  let reason: string;
  let code: string;
  try {
    const decoded = decoders[topic.kind](payload);
    if (decoded.deviceId === topic.deviceId) {
      return {
        outcome: 'forward',
        record: { topic: kafkaTopicFor(topic.kind), key: topic.deviceId, value: payload, headers },
      };
    }
    reason = `payload device_id ${JSON.stringify(decoded.deviceId)} does not match the topic's device ${JSON.stringify(topic.deviceId)}`;
    code = 'GATEWAY_DEVICE_MISMATCH';
  } catch (err) {
    reason = (err as Error).message;
    code = (err as FleetlineError).code ?? 'UNKNOWN';
  }
  return {
    outcome: 'dead-letter',
    reason,
    record: {
      topic: kafkaTopics.deadLetter,
      key: topic.deviceId,
      value: payload,
      headers: { ...headers, [Headers.reason]: reason, [Headers.errorCode]: code },
    },
  };
}
