import { timingSafeEqual } from 'node:crypto';
import type { DeviceRecord } from '@fleetline/platform';
import { secretDigest, verifySecret } from './credentials.js';
import type { DeviceIdentity, IdentityResult } from './identity.js';

/** The part of the Store the gateway reads devices from. */
export interface DeviceLookup {
  getDevice(deviceId: string): Promise<DeviceRecord | undefined>;
}

/**
 * Identity from the device registry: the MQTT username is the device id and the password its
 * secret — or, over mutual TLS, the client certificate's CN is the device id — and the client
 * id must be the device id too (a device must not take over another's
 * session). The registry is read on every connect, so a revocation refuses the next connect
 * on every gateway.
 *
 * scrypt costs 32 MiB and tens of milliseconds per check on purpose; a fleet reconnecting
 * after a gateway restart would pay it thousands of times. So a secret verified once is
 * remembered by its SHA-256 digest (in memory only) as long as the stored hash is unchanged.
 */
export class RegistryIdentity implements DeviceIdentity {
  private readonly verified = new Map<string, { secretHash: string; digest: Buffer }>();

  constructor(
    private readonly devices: DeviceLookup,
    /** The slow check; replaceable so tests can see when it runs. */
    private readonly verify: (secret: string, hash: string) => Promise<boolean> = verifySecret,
  ) {}

  async identify(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
    certificateDeviceId?: string,
  ): Promise<IdentityResult> {
    if (certificateDeviceId !== undefined)
      return this.identifyByCertificate(clientId, certificateDeviceId);
    if (!username || !password || password.length === 0) return { refused: 'no-credentials' };
    const device = await this.devices.getDevice(username);
    if (!device) return { refused: 'unknown-device' };
    if (device.revokedMs !== undefined) {
      this.verified.delete(username);
      return { refused: 'revoked' };
    }
    if (!(await this.secretMatches(device, password))) return { refused: 'bad-password' };
    if (clientId !== device.deviceId) return { refused: 'client-id-mismatch' };
    return { deviceId: device.deviceId };
  }

  /**
   * Mutual TLS: the certificate's CN, verified against the gateway's CA, is the device id; no
   * password is needed, but the device must be registered and not revoked, and connect with
   * its own client id.
   */
  private async identifyByCertificate(clientId: string, deviceId: string): Promise<IdentityResult> {
    const device = await this.devices.getDevice(deviceId);
    if (!device) return { refused: 'unknown-device' };
    if (device.revokedMs !== undefined) return { refused: 'revoked' };
    if (clientId !== device.deviceId) return { refused: 'client-id-mismatch' };
    return { deviceId: device.deviceId };
  }

  async stillAllowed(deviceId: string): Promise<boolean> {
    const device = await this.devices.getDevice(deviceId);
    if (device && device.revokedMs === undefined) return true;
    this.verified.delete(deviceId);
    return false;
  }

  private async secretMatches(device: DeviceRecord, password: Buffer): Promise<boolean> {
    const digest = secretDigest(password);
    const known = this.verified.get(device.deviceId);
    if (known && known.secretHash === device.secretHash) {
      return timingSafeEqual(known.digest, digest);
    }
    if (!(await this.verify(password.toString('utf8'), device.secretHash))) return false;
    this.verified.set(device.deviceId, { secretHash: device.secretHash, digest });
    return true;
  }
}
