import {
  type ParsedMqttTopic,
  parseMqttTopic,
  type UplinkKind,
  uplinkKinds,
} from '@fleetline/proto';

/**
 * Topic rules: a device publishes only to its own `v1/{deviceId}/telemetry|events|status`
 * and subscribes only to its own `v1/{deviceId}/commands`. Wildcards never match anything a
 * device may read, so they are refused outright.
 */

const UPLINK: ReadonlySet<string> = new Set(uplinkKinds);

export type UplinkTopic = ParsedMqttTopic & { kind: UplinkKind };

/** The parsed topic when deviceId may publish to it, else undefined. */
export function publishTopicFor(deviceId: string, topic: string): UplinkTopic | undefined {
  const t = parseMqttTopic(topic);
  if (!t || t.deviceId !== deviceId || !UPLINK.has(t.kind)) return undefined;
  return t as UplinkTopic;
}

export function maySubscribe(deviceId: string, topicFilter: string): boolean {
  const t = parseMqttTopic(topicFilter);
  return t !== undefined && t.deviceId === deviceId && t.kind === 'commands';
}
