import { isValidDeviceId } from '@fleetline/proto';

/** Why a connection was refused; the label of the auth-failure metric. */
export type RefusalReason =
  | 'no-credentials'
  | 'unknown-device'
  | 'bad-password'
  | 'revoked'
  | 'client-id-mismatch';

export type IdentityResult = { deviceId: string } | { refused: RefusalReason };

/**
 * Who a connecting client is. The gateway asks this port and pins the answer to the
 * connection; every topic check uses the pinned device id, never the packet's claims.
 */
export interface DeviceIdentity {
  /**
   * `certificateDeviceId` is the CN of a client certificate the TLS listener verified against
   * its CA (mutual TLS), if the device presented one.
   */
  identify(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
    certificateDeviceId?: string,
  ): Promise<IdentityResult>;
  /**
   * Whether a connected device may stay connected (not revoked meanwhile). The gateway asks
   * periodically; an identity without revocation leaves it out.
   */
  stillAllowed?(deviceId: string): Promise<boolean>;
}

/**
 * Development identity: the MQTT client id is the device id and no secret is checked
 * (`DEVICE_AUTH=open`). It still keeps every device to its own topics.
 */
export const clientIdIdentity: DeviceIdentity = {
  async identify(clientId) {
    return isValidDeviceId(clientId) ? { deviceId: clientId } : { refused: 'unknown-device' };
  },
};
