import type { Counter } from '@fleetline/platform';
import { FleetlineError } from '@fleetline/proto';
import type { Client } from 'aedes';
import type { Connections } from './connections.js';
import type { RefusalLog } from './refusal-log.js';

/**
 * Connections that close on an error of theirs. aedes names errors of connections that have
 * not sent a valid CONNECT yet (bytes that are not MQTT, a PUBLISH first, reserved flags set)
 * connectionError, later ones clientError: both are counted by reason and logged, within the
 * refusal log's bounds.
 */

export type ConnectionErrorReason = 'protocol' | 'connect-timeout' | 'keepalive-timeout' | 'reset';

export interface ConnectionErrorOptions {
  connections: Pick<Connections, 'addressOf'>;
  /** Errors by reason (fleetline_gateway_protocol_errors_total). */
  protocolErrors: Counter<'reason'>;
  refusals: RefusalLog;
}

/** The listener for aedes's `clientError` and `connectionError` events. */
export function connectionErrorListener(o: ConnectionErrorOptions) {
  return (client: Client | undefined, err: Error): void => {
    // A refused CONNECT (it carries its CONNACK code) or publish (one of ours) was counted
    // and logged where it was refused.
    if ('returnCode' in err || err instanceof FleetlineError) return;
    const reason = connectionErrorReason(err);
    o.protocolErrors.inc({ reason });
    const address = client ? o.connections.addressOf(client) : 'unknown';
    o.refusals.info(
      client?.id ?? address,
      { clientId: client?.id, address, reason, err: err.message },
      'client connection closed on error',
    );
  };
}

/** Why a connection closed on an error, for the protocol-error counter. */
export function connectionErrorReason(err: Error & { code?: string }): ConnectionErrorReason {
  if (err.message === 'connect did not arrive in time') return 'connect-timeout';
  if (err.message === 'keep alive timeout') return 'keepalive-timeout';
  if (
    err.code === 'ECONNRESET' ||
    err.code === 'EPIPE' ||
    err.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    err.code === 'ERR_STREAM_DESTROYED'
  ) {
    return 'reset';
  }
  return 'protocol';
}
