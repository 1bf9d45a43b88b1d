import { isValidDeviceId } from '@fleetline/proto';

/**
 * Who a connecting client is. The gateway asks this port and pins the answer to the
 * connection; every topic check uses the pinned device id, never the packet's claims.
 */
export interface DeviceIdentity {
  /** The device id, or undefined to refuse the connection. */
  identify(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<string | undefined>;
}

/**
 * Development identity: the MQTT client id is the device id and no secret is checked. It is
 * what the embedded system and tests use until the device registry (per-device credentials)
 * takes its place; it still keeps every device to its own topics.
 */
export const clientIdIdentity: DeviceIdentity = {
  async identify(clientId) {
    return isValidDeviceId(clientId) ? clientId : undefined;
  },
};
