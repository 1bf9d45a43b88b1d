import type { Counter } from '@fleetline/platform';
import { maySubscribe } from '../acl.js';
import type { Connections } from '../connections.js';
import type { RefusalLog } from '../refusal-log.js';
import type { AuthorizeSubscribeHook } from './types.js';

export interface AuthorizeSubscribeOptions {
  connections: Pick<Connections, 'deviceOf'>;
  /** Refusals by action (fleetline_gateway_acl_denials_total). */
  aclDenials: Counter<'action'>;
  refusals: RefusalLog;
}

/** A device subscribes only to its own commands topic (acl.ts). */
export function authorizeSubscribeHook(o: AuthorizeSubscribeOptions) {
  const authorizeSubscribe: AuthorizeSubscribeHook = (client, sub, done) => {
    const deviceId = o.connections.deviceOf(client);
    if (deviceId && maySubscribe(deviceId, sub.topic)) return done(null, sub);
    o.aclDenials.inc({ action: 'subscribe' });
    o.refusals.warn(
      deviceId ?? client.id,
      { deviceId, topic: sub.topic },
      'subscribe refused: not the device’s own commands topic',
    );
    // A null subscription answers SUBACK 0x80 (failure) without dropping the connection.
    done(null, null);
  };
  return authorizeSubscribe;
}
