import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySecret } from '@fleetline/gateway';
import { createLogger, SqliteTelemetryDb, StoreClosedError } from '@fleetline/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { simulatorCredentials } from '../src/sim-credentials.js';

/** `npm start`'s simulated vehicles' secrets, kept beside the registry in the data directory. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sim-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logger = createLogger('sim-credentials-test', 'silent');
const ids = ['sim-0001', 'sim-0002', 'sim-0003'];

describe('simulatorCredentials', () => {
  it('should keep every registered vehicle’s secret, also when the start stops while registering', async () => {
    const path = join(dir, 'store.sqlite');
    const telemetryDb = new SqliteTelemetryDb({ path, samplesTtlDays: 0 });
    // The telemetry database goes away after the first vehicle is registered (the process
    // stopping).
    let added = 0;
    const stopping = {
      getDevice: (id: string) => telemetryDb.getDevice(id),
      addDevice: async (record: Parameters<SqliteTelemetryDb['addDevice']>[0]) => {
        const done = await telemetryDb.addDevice(record);
        if (++added === 1) await telemetryDb.close();
        return done;
      },
    };
    await expect(simulatorCredentials(stopping, dir, ids, logger)).rejects.toBeInstanceOf(
      StoreClosedError,
    );
    // The next start: every vehicle connects with the secret in the file.
    const again = new SqliteTelemetryDb({ path, samplesTtlDays: 0 });
    try {
      const credentials = await simulatorCredentials(again, dir, ids, logger);
      expect([...credentials.keys()]).toEqual(ids);
      const saved = JSON.parse(
        readFileSync(join(dir, 'simulator-credentials.json'), 'utf8'),
      ) as Record<string, string>;
      for (const id of ids) {
        const device = await again.getDevice(id);
        expect(credentials.get(id)?.password, id).toBe(saved[id]);
        expect(await verifySecret(saved[id] as string, device?.secretHash ?? ''), id).toBe(true);
      }
      // Written whole and renamed into place: nothing half-written is left beside it.
      expect(readdirSync(dir).filter((f) => f.startsWith('simulator-credentials'))).toEqual([
        'simulator-credentials.json',
      ]);
    } finally {
      await again.close();
    }
  });
});
