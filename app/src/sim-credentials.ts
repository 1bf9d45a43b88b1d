import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, hashSecret, verifySecret } from '@fleetline/gateway';
import { dataDirFiles, ensurePrivateDir, type Logger, type Store } from '@fleetline/platform';

/**
 * Credentials for `npm start`'s simulated vehicles. They are registered like any device; the
 * simulator must know their secrets, so these (and only these) are kept in the data directory
 * (`simulator-credentials.json`, readable by the owner only) to survive restarts.
 */
export async function simulatorCredentials(
  store: Store,
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
  for (const id of ids) {
    const device = await store.getDevice(id);
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
    const password = generateSecret();
    await store.addDevice({
      deviceId: id,
      secretHash: await hashSecret(password),
      createdMs: Date.now(),
    });
    saved[id] = password;
    out.set(id, { username: id, password });
  }
  ensurePrivateDir(dataDir);
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return out;
}
