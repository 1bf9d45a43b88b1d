import { afterEach } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import type { Organisation, RecordsDb, Store } from '../../../src/records-db/port/index.js';

/** A database of the adapter's that the suite made for one test: empty until opened. */
export interface FreshDatabase {
  open(): Promise<RecordsDb>;
  /** Opens `count` adapters on it at the same moment (threads, connections), then closes them. */
  openAtOnce(count: number): Promise<void>;
  /** Runs SQL on it directly, past the adapter. */
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/** An adapter the contract runs against. */
export interface Adapter {
  name: string;
  /** Opens the suite's database; opening again after close() reaches the same data. */
  open(): Promise<RecordsDb>;
  /** A new, empty database (for the schema's cases). */
  fresh(): Promise<FreshDatabase>;
  skip?: string | undefined;
}

/** Opens the adapter for the tests of the describe it is called in, closed after each test. */
export function openedPerTest(adapter: Adapter): () => Promise<RecordsDb> {
  const open: RecordsDb[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });
  return async () => {
    const db = await adapter.open();
    open.push(db);
    return db;
  };
}

export const day0 = Date.UTC(2026, 10, 20);

/** A value no other test uses (logins, VINs, devices and codes are unique in the database). */
export const unique = (prefix: string) => uniqueName(prefix);

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
/** 17 characters, unique in the database (the records do not check the check digit). */
export const uniqueVin = () =>
  Array.from({ length: 17 }, () => VIN_CHARS[Math.floor(Math.random() * VIN_CHARS.length)]).join(
    '',
  );

/** A unique E.164 mobile number. */
export const uniqueMobile = () =>
  `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** An organisation of its own with a store, for a test. */
export async function orgWithStore(db: RecordsDb): Promise<{ org: Organisation; store: Store }> {
  const org = await db.createOrganisation({ name: unique('org'), kind: 'dealer_group' });
  const store = await db.createStore({ orgId: org.id, name: 'Main', code: 'S01' });
  return { org, store };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, and it resolved');
}
