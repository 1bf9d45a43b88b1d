import { assertDeviceId, isValidDeviceId } from './device-id.js';

/**
 * Topic names on both sides of the gateway.
 *
 * MQTT (device side): `v1/{deviceId}/{kind}`; a device may touch only its own `v1/{deviceId}/…`.
 * Kafka: one topic per kind, keyed by device id so one vehicle's messages stay in order on one
 * partition.
 */

/** What a device publishes. */
export const uplinkKinds = ['telemetry', 'events', 'status'] as const;
export type UplinkKind = (typeof uplinkKinds)[number];
/** What a device subscribes to. */
export const downlinkKinds = ['commands'] as const;
export type DownlinkKind = (typeof downlinkKinds)[number];
export type MqttKind = UplinkKind | DownlinkKind;

export const MQTT_TOPIC_VERSION = 'v1';

export function mqttTopic(deviceId: string, kind: MqttKind): string {
  assertDeviceId(deviceId);
  return `${MQTT_TOPIC_VERSION}/${deviceId}/${kind}`;
}

export interface ParsedMqttTopic {
  deviceId: string;
  kind: MqttKind;
}

const KINDS: ReadonlySet<string> = new Set([...uplinkKinds, ...downlinkKinds]);

/** Parses `v1/{deviceId}/{kind}`; returns undefined for anything else (wildcards included). */
export function parseMqttTopic(topic: string): ParsedMqttTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== MQTT_TOPIC_VERSION) return undefined;
  const [, deviceId, kind] = parts as [string, string, string];
  if (!isValidDeviceId(deviceId) || !KINDS.has(kind)) return undefined;
  return { deviceId, kind: kind as MqttKind };
}

/** Kafka topics, all keyed by device id. */
export const kafkaTopics = {
  telemetry: 'telemetry.v1',
  events: 'events.v1',
  status: 'status.v1',
  alerts: 'alerts.v1',
  commands: 'commands.v1',
  /** Service plans set and services recorded through the API (ServiceUpdate). */
  service: 'service.v1',
  /** Messages refused by the gateway or a processor, with the reason in a header. */
  deadLetter: 'deadletter.v1',
} as const;

export type KafkaTopicKind = keyof typeof kafkaTopics;

/** The Kafka topic an uplink MQTT message is bridged to. */
export function kafkaTopicFor(kind: UplinkKind): string {
  return kafkaTopics[kind];
}

/** Headers on every Kafka record Fleetline produces. */
export const kafkaHeaders = {
  /** Id of the gateway that received the message from the device. */
  gateway: 'fleetline-gateway',
  /** When the gateway received it, epoch ms as a decimal string. */
  receivedAt: 'fleetline-received-at-ms',
  /** The MQTT topic it arrived on. */
  mqttTopic: 'fleetline-mqtt-topic',
  /** On dead letters: why the record was refused, and the error code. */
  reason: 'fleetline-reason',
  errorCode: 'fleetline-error-code',
  /** On dead letters from a processor: topic/partition/offset of the original record. */
  source: 'fleetline-source',
} as const;
