import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Counter } from '@fleetline/platform';
import { addressKey, type ConnectionGate } from './connection-gate.js';
import type { Connections } from './connections.js';
import { guardPacketSize } from './guarded-connection.js';
import type { ListenerHooks } from './listeners.js';
import type { RefusalLog } from './refusal-log.js';

/**
 * What the gateway does with a new connection on any listener, before MQTT: the raw socket
 * passes the connection gate (rate and connection bounds) before any TLS handshake, MQTT
 * parsing or password check; the connection's byte stream then gets the packet-size guard, is
 * noted with its address (and certificate's device id), and goes to the broker.
 */

export interface AdmissionOptions {
  gate: Pick<ConnectionGate, 'enter'>;
  maxPacketBytes: number;
  connections: Pick<Connections, 'accepted'>;
  /** Refusals by reason (fleetline_gateway_connections_refused_total). */
  connectionsRefused: Counter<'reason'>;
  refusals: RefusalLog;
  /** Hands an admitted connection's byte stream to the broker. */
  handle(conn: Duplex): void;
}

export interface Admission extends ListenerHooks {
  /** A TLS handshake failed on an admitted socket (reported by the TLS listener). */
  onHandshakeError(err: Error, remoteAddress: string | undefined): void;
}

export function admission(o: AdmissionOptions): Admission {
  return {
    admit(socket: Socket) {
      const address = addressKey(socket.remoteAddress);
      const entered = o.gate.enter(address);
      if ('refused' in entered) {
        o.connectionsRefused.inc({ reason: entered.refused });
        o.refusals.warn(
          address,
          { address, reason: entered.refused },
          'connection refused before CONNECT',
        );
        socket.destroy();
        return false;
      }
      socket.once('close', entered.release);
      return true;
    },
    accept(conn: Duplex, remoteAddress, certificateDeviceId) {
      const address = addressKey(remoteAddress);
      guardPacketSize(conn, o.maxPacketBytes, (why) => {
        o.connectionsRefused.inc({ reason: 'oversized-packet' });
        o.refusals.warn(address, { address, why }, 'connection closed: packet too large');
      });
      o.connections.accepted(
        conn,
        certificateDeviceId ? { address, certificateDeviceId } : { address },
      );
      o.handle(conn);
    },
    onHandshakeError(err, remoteAddress) {
      const address = addressKey(remoteAddress);
      o.connectionsRefused.inc({ reason: 'tls-handshake' });
      o.refusals.warn(address, { address, err: err.message }, 'TLS handshake failed');
    },
  };
}
