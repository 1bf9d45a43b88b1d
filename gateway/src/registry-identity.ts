import { timingSafeEqual } from 'node:crypto';
import type { DeviceRecord } from '@fleetline/platform';
import { secretDigest } from './credentials.js';
import type { ConnectAttempt, DeviceIdentity, IdentityResult } from './identity.js';
import { type PasswordCheckOptions, PasswordChecks } from './password-checks.js';

/** The part of the telemetry database the gateway reads devices from. */
export interface DeviceLookup {
  getDevice(deviceId: string): Promise<DeviceRecord | undefined>;
}

export type RegistryIdentityOptions = PasswordCheckOptions;

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
 * Every other password — wrong, for an unknown id, for a revoked device — goes through the
 * same bounded scrypt check (see PasswordChecks), so the answer and its timing are the same
 * whether the id exists or not: only the device that knows its secret learns more.
 */
export class RegistryIdentity implements DeviceIdentity {
  private readonly verified = new Map<string, { secretHash: string; digest: Buffer }>();
  private readonly checks: PasswordChecks;

  constructor(
    private readonly devices: DeviceLookup,
    options: RegistryIdentityOptions = {},
  ) {
    this.checks = new PasswordChecks(options);
  }

  get passwordChecks(): { running: number; waiting: number } {
    return this.checks.load;
  }

  async identify(a: ConnectAttempt): Promise<IdentityResult> {
    if (a.certificateDeviceId !== undefined) {
      return this.identifyByCertificate(a.clientId, a.certificateDeviceId);
    }
    const { username, password } = a;
    if (!username || !password || password.length === 0) return { refused: 'no-credentials' };
    const device = await this.devices.getDevice(username);
    if (device && device.revokedMs === undefined && this.remembered(device, password)) {
      return this.sameClientId(a.clientId, device);
    }
    const outcome = await this.checks.check(username, a.address, password, device?.secretHash);
    if (outcome === 'busy' || outcome === 'throttled') return { refused: outcome };
    if (outcome === 'mismatch' || !device) {
      return { refused: device ? 'bad-password' : 'unknown-device' };
    }
    // Only a client that knows the secret learns that its device is revoked.
    if (device.revokedMs !== undefined) {
      this.verified.delete(username);
      return { refused: 'revoked' };
    }
    this.verified.set(device.deviceId, {
      secretHash: device.secretHash,
      digest: secretDigest(password),
    });
    return this.sameClientId(a.clientId, device);
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
    return this.sameClientId(clientId, device);
  }

  async stillAllowed(deviceId: string): Promise<boolean> {
    const device = await this.devices.getDevice(deviceId);
    if (device && device.revokedMs === undefined) return true;
    this.verified.delete(deviceId);
    return false;
  }

  private sameClientId(clientId: string, device: DeviceRecord): IdentityResult {
    if (clientId !== device.deviceId) return { refused: 'client-id-mismatch' };
    return { deviceId: device.deviceId };
  }

  /** Whether this password was verified for the device before (and its secret is unchanged). */
  private remembered(device: DeviceRecord, password: Buffer): boolean {
    const known = this.verified.get(device.deviceId);
    if (!known || known.secretHash !== device.secretHash) return false;
    return timingSafeEqual(known.digest, secretDigest(password));
  }
}
