import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueApiToken } from '@fleetline/cloud';
import { dataDirFiles, type RecordsDb, type Role, SqliteRecordsDb } from '@fleetline/platform';

/**
 * Business records for tests that call the API: an organisation with a store, API tokens by
 * role, and vehicles bound to the devices a test names. Tests that are not about access use `headers`
 * (an organisation admin's token) and `bind(...)` the devices they read.
 */

export interface TestAccess {
  readonly records: RecordsDb;
  readonly orgId: string;
  readonly storeId: string;
  /** `Authorization` of an organisation admin's token. */
  readonly headers: { authorization: string };
  /** A token of the organisation with that role (store-scoped when storeId is given). */
  token(role: Role, storeId?: string): Promise<{ authorization: string }>;
  /** Binds each device to a vehicle of the store (idempotent). */
  bind(...deviceIds: string[]): Promise<void>;
  close(): Promise<void>;
}

let vinSerial = 0;

/** A valid VIN (ISO 3779 check digit at position 9), different on every call. */
export function testVin(): string {
  const serial = String(++vinSerial + process.pid * 1000)
    .padStart(6, '0')
    .slice(-6);
  const body = `LFV2A21K0N4${serial}`; // the check digit position (index 8) is fixed below
  return withCheckDigit(body);
}

const values: Record<string, number> = Object.fromEntries([
  ...'0123456789'.split('').map((c, i) => [c, i]),
  ...'ABCDEFGH'.split('').map((c, i) => [c, i + 1]),
  ...'JKLMN'.split('').map((c, i) => [c, i + 1]),
  ['P', 7],
  ['R', 9],
  ...'STUVWXYZ'.split('').map((c, i) => [c, i + 2]),
]);
const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

function withCheckDigit(vin: string): string {
  const sum = [...vin].reduce((acc, c, i) => acc + (values[c] ?? 0) * (weights[i] ?? 0), 0);
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return `${vin.slice(0, 8)}${check}${vin.slice(9)}`;
}

/** `Authorization` of a new API token of the organisation (store-scoped when storeId is given). */
export async function apiToken(
  records: RecordsDb,
  grant: { orgId: string; role: Role; storeId?: string | undefined },
): Promise<{ authorization: string }> {
  const { token } = await issueApiToken(records, {
    name: `test ${grant.role}`,
    orgId: grant.orgId,
    ...(grant.storeId === undefined ? {} : { storeId: grant.storeId }),
    role: grant.role,
    createdBy: 'test',
    expiresMs: Date.now() + 86_400_000,
  });
  return { authorization: `Bearer ${token}` };
}

/**
 * The business records of a Fleetline process running on `dataDir` (SQLite, WAL: the process
 * and the test use the file at once), for a test to seed with openTestAccess.
 */
export const dataDirRecords = (dataDir: string) =>
  new SqliteRecordsDb({ path: join(dataDir, dataDirFiles.recordsDb) });

/** Opens records (SQLite in a temp folder unless given) and seeds an organisation. */
export async function openTestAccess(given?: RecordsDb): Promise<TestAccess> {
  const dir = given ? undefined : mkdtempSync(join(tmpdir(), 'fleetline-access-'));
  const records = given ?? new SqliteRecordsDb({ path: join(dir as string, 'records.sqlite') });
  const org = await records.createOrganisation({ name: 'Test Motors', kind: 'dealer_group' });
  const store = await records.createStore({ orgId: org.id, name: 'Test store', code: 'test' });
  const token = (role: Role, storeId?: string) =>
    apiToken(records, { orgId: org.id, role, storeId });
  const headers = await token('org_admin');
  return {
    records,
    orgId: org.id,
    storeId: store.id,
    headers,
    token,
    async bind(...deviceIds) {
      for (const deviceId of deviceIds) {
        if (await records.getVehicleByDevice(deviceId)) continue;
        await records.createVehicle({
          orgId: org.id,
          vin: testVin(),
          deviceId,
          homeStoreId: store.id,
        });
      }
    },
    async close() {
      await records.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
