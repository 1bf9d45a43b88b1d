import { maySubscribe } from '../acl.js';
import type { Connections } from '../connections.js';
import type { AuthorizeForwardHook } from './types.js';

/** Nothing reaches a device outside its topic rules, whatever its session holds. */
export function authorizeForwardHook(connections: Pick<Connections, 'deviceOf'>) {
  const authorizeForward: AuthorizeForwardHook = (client, packet) => {
    const deviceId = connections.deviceOf(client);
    return deviceId && maySubscribe(deviceId, packet.topic) ? packet : null;
  };
  return authorizeForward;
}
