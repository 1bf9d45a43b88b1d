import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, hashSecret, verifySecret } from '@fleetline/gateway';
import {
  type DeviceRegistry,
  dataDirFiles,
  ensurePrivateDir,
  type Logger,
  privateFileTemporary,
} from '@fleetline/platform';

/**
 * Credentials for `npm start`'s simulated vehicles. They are registered like any device; the
 * simulator must know their secrets, so these (and only these) are kept in the data directory
 * (`simulator-credentials.json`, readable by the owner only) to survive restarts.
 *
 * A vehicle registered with a secret the file does not hold is refused for good, so the file
 * is written before any vehicle is registered, and replaced whole (written beside, flushed,
 * renamed over): a start stopped or killed at any point leaves every registered vehicle's
 * secret in the file, and a secret saved for a vehicle not registered yet is used when it is.
 */
export async function simulatorCredentials(
  telemetryDb: Pick<DeviceRegistry, 'getDevice' | 'addDevice'>,
  dataDir: string,
  ids: readonly string[],
  logger: Logger,
): Promise<Map<string, { username: string; password: string }>> {
  const file = join(dataDir, dataDirFiles.simulatorCredentials);
  let saved: Record<string, string> = {};
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    // first start, or an unreadable file: fresh credentials for devices not yet registered
  }
  const out = new Map<string, { username: string; password: string }>();
  const unregistered: string[] = [];
  for (const id of ids) {
    const device = await telemetryDb.getDevice(id);
    const known = saved[id];
    if (device && known && device.revokedMs === undefined) {
      if (await verifySecret(known, device.secretHash)) {
        out.set(id, { username: id, password: known });
        continue;
      }
    }
    if (device) {
      logger.warn(
        { deviceId: id },
        'simulated vehicle is registered with a secret this data directory does not hold (or is revoked); it will be refused',
      );
      continue;
    }
    saved[id] = known ?? generateSecret();
    unregistered.push(id);
  }
  ensurePrivateDir(dataDir);
  replaceFile(file, `${JSON.stringify(saved, null, 2)}\n`);
  for (const id of unregistered) {
    const password = saved[id] as string;
    await telemetryDb.addDevice({
      deviceId: id,
      secretHash: await hashSecret(password),
      createdMs: Date.now(),
    });
    out.set(id, { username: id, password });
  }
  // In the order asked for.
  return new Map(ids.flatMap((id) => (out.has(id) ? [[id, out.get(id)!] as const] : [])));
}

/** Replaces the file whole, owner-only: written beside it, flushed to disk, renamed over it. */
function replaceFile(file: string, text: string): void {
  const beside = privateFileTemporary(file);
  const fd = openSync(beside, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(beside, file);
}
