import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  PostgresRecordsDb,
  type RecordsDb,
  type SessionHolder,
  SqliteRecordsDb,
} from '@fleetline/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgres } from '../../../test-support/postgres.js';
import { issueApiToken } from '../../src/access/api-tokens.js';
import { Authenticator } from '../../src/access/authenticator.js';
import { HolderCache } from '../../src/access/holder-cache.js';

/**
 * Who a session or token belongs to is read once and reused while the records are unchanged.
 * What must hold: another process's sign-out, revocation, disabling or grant change counts
 * from its next request (past the port's millisecond bound); with no change mark (PostgreSQL)
 * nothing is reused; a read a write overtook is not kept.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-holders-'));
const opened: RecordsDb[] = [];
afterAll(async () => {
  for (const db of opened.splice(0)) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const TIMES = { idleMs: 3_600_000, maxAgeMs: 8 * 3_600_000 };
// The bound RecordsDb.changeMark gives for another connection's write, and a little.
const otherWriteShows = () => delay(3);

/** The records with their session and token reads counted. */
function counted(records: RecordsDb) {
  const reads = { sessions: 0, tokens: 0 };
  const proxy = new Proxy(records, {
    get(target, key) {
      if (key === 'sessionHolder') reads.sessions++;
      if (key === 'tokenHolder') reads.tokens++;
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { records: proxy, reads };
}

async function someoneSignedIn(records: RecordsDb, auth: Authenticator) {
  const org = await records.createOrganisation({ name: 'Holder Motors', kind: 'dealer_group' });
  const store = await records.createStore({ orgId: org.id, name: 'North', code: 'N' });
  const user = await records.createUser({
    orgId: org.id,
    name: 'Wang Lei',
    username: `wang-${Math.random()}`,
    passwordHash: 'h',
    mustChangePassword: false,
  });
  const grant = { role: 'service_advisor', orgId: org.id, storeId: store.id } as const;
  await records.grantRole(user.id, grant);
  const { id } = await auth.startSession(user, '198.51.100.4');
  return { org, store, user, grant, sessionId: id };
}

/** The API process's records, and another process's (the admin CLI) on the same file. */
function sqlitePair(name: string) {
  const path = join(dir, `${name}.sqlite`);
  const api = new SqliteRecordsDb({ path });
  const cli = new SqliteRecordsDb({ path });
  opened.push(api, cli);
  return { api, cli };
}

describe('identities reused while the records are unchanged (SQLite)', () => {
  it('should read a session once for many requests, and again after any write', async () => {
    const { api } = sqlitePair('once');
    const { records, reads } = counted(api);
    const auth = new Authenticator(records, TIMES);
    const { sessionId, org } = await someoneSignedIn(api, auth);
    for (let i = 0; i < 5; i++) expect(await auth.fromSessionId(sessionId)).toBeDefined();
    expect(reads.sessions).toBe(1);
    await api.createStore({ orgId: org.id, name: 'South', code: 'S' });
    expect(await auth.fromSessionId(sessionId)).toBeDefined();
    expect(reads.sessions).toBe(2);
  });

  it('should refuse a session another process ended, disabled or took a grant from', async () => {
    const { api, cli } = sqlitePair('elsewhere');
    const auth = new Authenticator(api, TIMES);
    const ended = await someoneSignedIn(api, auth);
    const disabled = await someoneSignedIn(api, auth);
    const ungranted = await someoneSignedIn(api, auth);
    for (const s of [ended, disabled, ungranted]) {
      expect(await auth.fromSessionId(s.sessionId)).toBeDefined();
    }

    await cli.deleteUserSessions(ended.user.id);
    await cli.setUserDisabled(disabled.user.id, true);
    await cli.revokeRole(ungranted.user.id, ungranted.grant);
    await otherWriteShows();

    expect(await auth.fromSessionId(ended.sessionId)).toBeUndefined();
    expect(await auth.fromSessionId(disabled.sessionId)).toBeUndefined();
    expect((await auth.fromSessionId(ungranted.sessionId))?.grants).toEqual([]);
  });

  it('should refuse a token another process revoked, or whose organisation it disabled', async () => {
    const { api, cli } = sqlitePair('tokens');
    const { records, reads } = counted(api);
    const auth = new Authenticator(records, TIMES);
    const { org } = await someoneSignedIn(api, auth);
    const issue = () =>
      issueApiToken(api, {
        name: 'dealer system',
        orgId: org.id,
        role: 'viewer',
        createdBy: 'test',
        expiresMs: Date.now() + 3_600_000,
      });
    const [revoked, kept] = [await issue(), await issue()];
    for (let i = 0; i < 3; i++) expect(await auth.fromToken(revoked.token)).toBeDefined();
    expect(reads.tokens).toBe(1);

    await cli.revokeToken(revoked.record.id, Date.now());
    await otherWriteShows();
    expect(await auth.fromToken(revoked.token)).toBeUndefined();
    expect(await auth.fromToken(kept.token)).toBeDefined();

    await cli.setOrganisationDisabled(org.id, true);
    await otherWriteShows();
    expect(await auth.fromToken(kept.token)).toBeUndefined();
  });
});

const pgInfra = await postgres();

describe.skipIf(pgInfra.reason)('identities on PostgreSQL, which gives no change mark', () => {
  it('should read the session on every request', async () => {
    const database = await createTestDatabase('holders');
    const db = await PostgresRecordsDb.open({ url: database.url, poolSize: 2 });
    try {
      expect(db.changeMark()).toBeUndefined();
      const { records, reads } = counted(db);
      const auth = new Authenticator(records, TIMES);
      const { sessionId } = await someoneSignedIn(db, auth);
      for (let i = 0; i < 3; i++) expect(await auth.fromSessionId(sessionId)).toBeDefined();
      expect(reads.sessions).toBe(3);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});

describe('HolderCache', () => {
  const holder = (name: string) => ({ user: { name } }) as unknown as SessionHolder;

  it('should not keep a holder whose read a write overtook', async () => {
    let mark = 'm1';
    let reads = 0;
    let release = () => {};
    const records = {
      changeMark: () => mark,
      sessionHolder: async () => {
        const n = ++reads;
        if (n === 1) await new Promise<void>((r) => (release = r));
        return holder(`read ${n}`);
      },
    } as unknown as RecordsDb;
    const cache = new HolderCache(records);

    const slow = cache.session('s');
    await delay(0);
    mark = 'm2'; // written while the first read was under way…
    expect((await cache.session('t'))?.user.name).toBe('read 2'); // …and seen by another call
    release();
    expect((await slow)?.user.name).toBe('read 1');
    // What the slow read found may predate the write: read again, then kept.
    expect((await cache.session('s'))?.user.name).toBe('read 3');
    expect((await cache.session('s'))?.user.name).toBe('read 3');
    expect(reads).toBe(3);
  });

  it('should hand out kept holders frozen: one request cannot change another’s', async () => {
    const records = {
      changeMark: () => 'm',
      sessionHolder: async () => ({ user: { name: 'Li' }, grants: [{ role: 'viewer' }] }),
    } as unknown as RecordsDb;
    const cache = new HolderCache(records);
    await cache.session('s');
    const kept = (await cache.session('s')) as SessionHolder;
    expect(Object.isFrozen(kept.user)).toBe(true);
    expect(Object.isFrozen(kept.grants[0])).toBe(true);
  });
});
