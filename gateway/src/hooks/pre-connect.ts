import type { Connections } from '../connections.js';
import type { PreConnectHook } from './types.js';

/**
 * Notes a CONNECT without a client id before aedes makes one up for it, so that authenticate
 * can refuse it: a device's client id must be its device id.
 */
export function preConnectHook(connections: Pick<Connections, 'connectedWithoutClientId'>) {
  const preConnect: PreConnectHook = (client, packet, callback) => {
    if (!packet.clientId) connections.connectedWithoutClientId(client);
    callback(null, true);
  };
  return preConnect;
}
