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
import { checkDeviceClock, type Uplink } from './device-clock.js';
import { GatewayErrorCodes } from './errors.js';

/**
 * What the gateway does with one authorised uplink publish: forward it to its Kafka topic, or,
 * when the payload breaks the contract, route it to the dead-letter topic with the reason.
 * A dead-lettered message is still stored and acknowledged — a device cannot fix a bad payload
 * by resending it, and must not block its spool on it. Times a device's wrong clock made (too
 * far ahead of this gateway's, or never set) are dead-lettered the same way (device-clock.ts).
 */

export interface RouteOptions {
  /** How far a device's times may run ahead of the receive time (default one day). */
  maxClockAheadMs?: number;
}

export const DEFAULT_MAX_CLOCK_AHEAD_MS = 86_400_000;

export type Routed =
  | { outcome: 'forward'; record: ProduceRecord }
  | { outcome: 'dead-letter'; record: ProduceRecord; reason: string; code: string };

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
  options: RouteOptions = {},
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
    const clock = checkDeviceClock(
      { kind: topic.kind, message: decoded } as Uplink,
      receivedAtMs,
      options.maxClockAheadMs ?? DEFAULT_MAX_CLOCK_AHEAD_MS,
    );
    if (decoded.deviceId !== topic.deviceId) {
      reason = `payload device_id ${JSON.stringify(decoded.deviceId)} does not match the topic's device ${JSON.stringify(topic.deviceId)}`;
      code = GatewayErrorCodes.deviceMismatch;
    } else if (clock) {
      ({ reason, code } = clock);
    } else {
      return {
        outcome: 'forward',
        record: { topic: kafkaTopicFor(topic.kind), key: topic.deviceId, value: payload, headers },
      };
    }
  } catch (err) {
    reason = (err as Error).message;
    code = (err as FleetlineError).code ?? 'UNKNOWN';
  }
  return {
    outcome: 'dead-letter',
    reason,
    code,
    record: {
      topic: kafkaTopics.deadLetter,
      key: topic.deviceId,
      value: payload,
      headers: { ...headers, [Headers.reason]: reason, [Headers.errorCode]: code },
    },
  };
}
