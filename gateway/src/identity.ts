import { isValidDeviceId } from '@fleetline/proto';

/** Why a connection was refused; the label of the auth-failure metric. */
export type RefusalReason =
  | 'no-credentials'
  | 'unknown-device'
  | 'bad-password'
  | 'revoked'
  | 'client-id-mismatch'
  /** Every password check slot is taken: the device should try again later. */
  | 'busy'
  /** Too many failed password checks for the id or from the address lately. */
  | 'throttled';

export type IdentityResult = { deviceId: string } | { refused: RefusalReason };

/** What a connecting client presents. */
export interface ConnectAttempt {
  clientId: string;
  username: string | undefined;
  password: Buffer | undefined;
  /**
   * The CN of a client certificate the TLS listener verified against its CA (mutual TLS), if
   * the device presented one.
   */
  certificateDeviceId?: string;
  /** The source address of the connection, for limits per address. */
  address: string;
}

/**
 * Who a connecting client is. The gateway asks this port and pins the answer to the
 * connection; every topic check uses the pinned device id, never the packet's claims.
 */
export interface DeviceIdentity {
  identify(attempt: ConnectAttempt): Promise<IdentityResult>;
  /**
   * Whether a connected device may stay connected (not revoked meanwhile). The gateway asks
   * periodically; an identity without revocation leaves it out.
   */
  stillAllowed?(deviceId: string): Promise<boolean>;
  /** Password checks running and waiting now, for the gateway's metrics. */
  readonly passwordChecks?: { running: number; waiting: number };
}

/**
 * Development identity: the MQTT client id is the device id and no secret is checked
 * (`DEVICE_AUTH=open`). It still keeps every device to its own topics.
 */
export const clientIdIdentity: DeviceIdentity = {
  async identify({ clientId }) {
    return isValidDeviceId(clientId) ? { deviceId: clientId } : { refused: 'unknown-device' };
  },
};
