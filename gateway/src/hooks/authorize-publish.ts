import type { Counter } from '@fleetline/platform';
import { parseMqttTopic } from '@fleetline/proto';
import { publishTopicFor } from '../acl.js';
import { clippedTopic } from '../clipped-topic.js';
import type { Connections } from '../connections.js';
import { NotAuthorizedError } from '../errors.js';
import type { RefusalLog } from '../refusal-log.js';
import type { Uplink } from '../uplink.js';
import type { AuthorizePublishHook } from './types.js';

export interface AuthorizePublishOptions {
  connections: Pick<Connections, 'deviceOf'>;
  /** Refusals by action (fleetline_gateway_acl_denials_total). */
  aclDenials: Counter<'action'>;
  refusals: RefusalLog;
  /** Where an allowed publish goes; it calls back once the log has answered (the PUBACK). */
  uplink: Pick<Uplink, 'take'>;
}

/**
 * A device publishes only to its own telemetry, events and status topics (acl.ts); what it may
 * publish goes to the uplink path. aedes writes the QoS 1 PUBACK when this calls back without
 * an error, so the callback waits for the uplink's answer.
 */
export function authorizePublishHook(o: AuthorizePublishOptions) {
  const authorizePublish: AuthorizePublishHook = (client, packet, done) => {
    // Wills of connections from this broker carry the client; wills recovered from other
    // brokers do not, and are checked against the topic alone.
    const deviceId = client
      ? o.connections.deviceOf(client)
      : parseMqttTopic(packet.topic)?.deviceId;
    const topic = deviceId ? publishTopicFor(deviceId, packet.topic) : undefined;
    if (!deviceId || !topic) {
      o.aclDenials.inc({ action: 'publish' });
      o.refusals.warn(
        deviceId ?? client?.id ?? 'unknown',
        { deviceId, topic: clippedTopic(packet.topic) },
        'publish refused: not one of the device’s own topics',
      );
      return done(
        new NotAuthorizedError(`${deviceId} may not publish to ${clippedTopic(packet.topic)}`),
      );
    }
    o.uplink.take(deviceId, topic, packet, done);
  };
  return authorizePublish;
}
