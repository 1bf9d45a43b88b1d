import type { Counter, Logger } from '@fleetline/platform';
import type { Connections } from '../connections.js';
import type { DeviceIdentity, RefusalReason } from '../identity.js';
import type { RefusalLog } from '../refusal-log.js';
import type { AuthenticateHook } from './types.js';

export interface AuthenticateOptions {
  identity: DeviceIdentity;
  connections: Pick<Connections, 'info' | 'hasNoClientId' | 'authenticated'>;
  /** Refusals by reason (fleetline_gateway_auth_failures_total). */
  authFailures: Counter<'reason'>;
  refusals: RefusalLog;
  log: Logger;
}

/**
 * Who a connecting client is: the identity port answers from what the client presents (client
 * id, username, password, a verified certificate's CN) and where it comes from; the answer is
 * pinned to the connection. A refusal answers CONNACK with the code of its reason.
 */
export function authenticateHook(o: AuthenticateOptions) {
  const authenticate: AuthenticateHook = (client, username, password, done) => {
    const info = o.connections.info(client);
    const address = info?.address ?? 'unknown';
    if (o.connections.hasNoClientId(client)) {
      // The client id must be the device id, so a server-assigned one is refused with
      // CONNACK 0x02, identifier rejected (MQTT-3.1.3-8 for clean session 0, -9 for 1).
      o.authFailures.inc({ reason: 'no-client-id' });
      o.refusals.warn(address, { address, username, reason: 'no-client-id' }, 'connection refused');
      const err = Object.assign(new Error('identifier rejected'), { returnCode: 2 as const });
      return done(err, false);
    }
    o.identity
      .identify({
        clientId: client.id,
        username,
        password,
        address,
        ...(info?.certificateDeviceId ? { certificateDeviceId: info.certificateDeviceId } : {}),
      })
      .then(
        (result) => {
          if ('refused' in result) {
            o.authFailures.inc({ reason: result.refused });
            o.refusals.warn(
              address,
              { address, clientId: client.id, username, reason: result.refused },
              'connection refused',
            );
            const returnCode = connackCodeFor(result.refused);
            const err = Object.assign(new Error('not authorized'), { returnCode });
            return done(err as Error & { returnCode: typeof returnCode }, false);
          }
          o.connections.authenticated(client, result.deviceId);
          done(null, true);
        },
        (err: Error) => {
          o.log.error({ err, clientId: client.id }, 'identity check failed');
          done(Object.assign(err, { returnCode: 3 as const }), false);
        },
      );
  };
  return authenticate;
}

/**
 * The CONNACK return code of a refusal (MQTT 3.1.1 §3.2.2.3). A wrong password and an unknown
 * id get the same code (4, bad user name or password), so the code does not tell which ids
 * exist; a device asked to come back later gets 3 (server unavailable); the rest, 5 (not
 * authorized).
 */
export function connackCodeFor(reason: RefusalReason): 3 | 4 | 5 {
  switch (reason) {
    case 'bad-password':
    case 'unknown-device':
      return 4;
    case 'busy':
    case 'throttled':
      return 3;
    default:
      return 5;
  }
}
