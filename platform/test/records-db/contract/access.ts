import { describe, expect, it } from 'vitest';
import type { RecordsDb, SessionRecord } from '../../../src/records-db/port/index.js';
import { type Adapter, day0, openedPerTest, orgWithStore, rejection, unique } from './support.js';

/** The contract of the AccessBook part: sessions and API tokens. */
export function accessBookContract(adapter: Adapter): void {
  async function someone(db: RecordsDb) {
    const { org, store } = await orgWithStore(db);
    const user = await db.createUser({
      orgId: org.id,
      name: 'Chen Jing',
      username: unique('chen'),
      passwordHash: 'h',
      mustChangePassword: false,
    });
    return { org, store, user };
  }
  const session = (userId: string, o: Partial<SessionRecord> = {}): SessionRecord => ({
    idHash: unique('sid'),
    userId,
    csrfToken: unique('csrf'),
    createdMs: day0,
    lastSeenMs: day0,
    address: '203.0.113.7',
    ...o,
  });

  describe('sessions', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should create, read, touch and delete a session', async () => {
      const db = await openRecordsDb();
      const { user } = await someone(db);
      const s = session(user.id, { address: '2001:db8::1' });
      await db.createSession(s);
      expect(await db.getSession(s.idHash)).toEqual(s);
      await db.touchSession(s.idHash, day0 + 5000);
      expect(await db.getSession(s.idHash)).toEqual({ ...s, lastSeenMs: day0 + 5000 });
      const again = await rejection(db.createSession(s));
      expect(again).toMatchObject({ code: 'RECORD_CONFLICT', field: 'idHash' });
      await db.deleteSession(s.idHash);
      await db.deleteSession(s.idHash);
      expect(await db.getSession(s.idHash)).toBeUndefined();
      await db.touchSession(s.idHash, day0 + 9000);
      expect(await db.getSession(s.idHash)).toBeUndefined();
    });

    it('should read a session with its person, their grants and their organisation at once', async () => {
      const db = await openRecordsDb();
      const { org, store, user } = await someone(db);
      const s = session(user.id);
      await db.createSession(s);
      const bare = await db.sessionHolder(s.idHash);
      expect(bare).toEqual({ session: s, user, grants: [], organisationDisabled: false });
      await db.grantRole(user.id, { role: 'service_advisor', orgId: org.id, storeId: store.id });
      await db.grantRole(user.id, { role: 'viewer', orgId: org.id });
      const held = await db.sessionHolder(s.idHash);
      expect(held?.grants).toHaveLength(2);
      expect(new Set(held?.grants)).toEqual(new Set(await db.grantsOf(user.id)));
      expect(held?.session).toEqual(s);
      await db.setOrganisationDisabled(org.id, true);
      expect((await db.sessionHolder(s.idHash))?.organisationDisabled).toBe(true);
      expect(await db.sessionHolder('no-such-session')).toBeUndefined();
    });

    it('should end every session of a user, and only that user’s', async () => {
      const db = await openRecordsDb();
      const { user } = await someone(db);
      const other = (await someone(db)).user;
      for (let i = 0; i < 3; i++) await db.createSession(session(user.id));
      const kept = session(other.id);
      await db.createSession(kept);
      expect(await db.deleteUserSessions(user.id)).toBe(3);
      expect(await db.deleteUserSessions(user.id)).toBe(0);
      expect(await db.getSession(kept.idHash)).toEqual(kept);
    });

    it('should prune sessions idle too long and sessions too old however active', async () => {
      const db = await openRecordsDb();
      const { user } = await someone(db);
      const now = Date.now() + 365 * 86_400_000; // later than every other test's sessions
      const idle = session(user.id, { createdMs: now - 5000, lastSeenMs: now - 4000 });
      const old = session(user.id, { createdMs: now - 90_000, lastSeenMs: now - 10 });
      const fresh = session(user.id, { createdMs: now - 5000, lastSeenMs: now - 10 });
      const edge = session(user.id, { createdMs: now - 60_000, lastSeenMs: now - 1000 });
      for (const s of [idle, old, fresh, edge]) await db.createSession(s);
      // Idle: last seen more than 1 s ago; absolute: created more than 60 s ago.
      expect(await db.pruneSessions(now - 1000, now - 60_000)).toBeGreaterThanOrEqual(2);
      expect(await db.getSession(idle.idHash)).toBeUndefined();
      expect(await db.getSession(old.idHash)).toBeUndefined();
      expect(await db.getSession(fresh.idHash)).toEqual(fresh);
      expect(await db.getSession(edge.idHash)).toEqual(edge);
      expect(await db.pruneSessions(now - 1000, now - 60_000)).toBe(0);
    });
  });

  describe('sign-in attempt buckets', () => {
    const openRecordsDb = openedPerTest(adapter);
    const limit = { burst: 3, perSecond: 0.5 };

    it('should give the burst, then refuse with the seconds to wait, then refill with time', async () => {
      const db = await openRecordsDb();
      const key = unique('login:chen');
      const taken = [];
      for (let i = 0; i < 4; i++) taken.push(await db.takeAttempt(key, limit, day0));
      expect(taken).toEqual([undefined, undefined, undefined, 2]);
      expect(await db.takeAttempt(key, limit, day0 + 1000)).toBe(1); // half a token back
      expect(await db.takeAttempt(key, limit, day0 + 2000)).toBeUndefined();
      expect(await db.takeAttempt(key, limit, day0 + 2000)).toBe(2);
      // Another key is another bucket.
      expect(await db.takeAttempt(unique('login:li'), limit, day0 + 2000)).toBeUndefined();
    });

    it('should give an attempt back up to the burst, and take one at a time when raced', async () => {
      const db = await openRecordsDb();
      const key = unique('address:203.0.113.9');
      await Promise.all([1, 2, 3].map(() => db.takeAttempt(key, limit, day0)));
      expect(await db.takeAttempt(key, limit, day0)).toBe(2);
      await db.refundAttempt(key, limit);
      expect(await db.takeAttempt(key, limit, day0)).toBeUndefined();
      for (let i = 0; i < 10; i++) await db.refundAttempt(key, limit);
      const raced = await Promise.all(
        Array.from({ length: 8 }, () => db.takeAttempt(key, limit, day0)),
      );
      expect(raced.filter((r) => r === undefined)).toHaveLength(3);
    });

    it('should forget buckets untouched since a time', async () => {
      const db = await openRecordsDb();
      const old = unique('login:old');
      const fresh = unique('login:fresh');
      for (let i = 0; i < 3; i++) await db.takeAttempt(old, limit, day0);
      await db.takeAttempt(fresh, limit, day0 + 10_000);
      expect(await db.pruneAttempts(day0 + 5_000)).toBeGreaterThanOrEqual(1);
      // Forgotten: full again.
      expect(await db.takeAttempt(old, limit, day0 + 10_000)).toBeUndefined();
    });
  });

  describe('API tokens', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should create tokens, find one by hash and list the organisation’s', async () => {
      const db = await openRecordsDb();
      const { org, store, user } = await someone(db);
      const hash = unique('hash');
      const input = {
        name: 'DMS sync',
        orgId: org.id,
        storeId: store.id,
        role: 'viewer' as const,
        createdMs: day0,
        createdBy: user.id,
        expiresMs: day0 + 86_400_000,
      };
      const token = await db.createToken({ ...input, hash });
      expect(token).toEqual({ ...input, id: expect.any(String) });
      expect(token).not.toHaveProperty('hash');
      expect(await db.findToken(hash)).toEqual(token);
      expect(await db.findToken('no-such-hash')).toBeUndefined();
      const wide = await db.createToken({
        ...input,
        name: 'BI export',
        storeId: undefined,
        createdMs: day0 + 1,
        hash: unique('hash'),
      });
      expect(wide).not.toHaveProperty('storeId');
      expect(await db.listTokens(org.id)).toEqual([token, wide]);
      expect(await db.tokenHolder(hash)).toEqual({ token, organisationDisabled: false });
      await db.setOrganisationDisabled(org.id, true);
      expect(await db.tokenHolder(hash)).toEqual({ token, organisationDisabled: true });
      expect(await db.tokenHolder('no-such-hash')).toBeUndefined();
      const taken = await rejection(db.createToken({ ...input, hash }));
      expect(taken).toMatchObject({ code: 'RECORD_CONFLICT', field: 'hash' });
    });

    it('should revoke a token once: a second revoke keeps the first time', async () => {
      const db = await openRecordsDb();
      const { org, user } = await someone(db);
      const hash = unique('hash');
      const token = await db.createToken({
        name: 't',
        orgId: org.id,
        role: 'org_admin',
        createdMs: day0,
        createdBy: user.id,
        expiresMs: day0 + 1000,
        hash,
      });
      expect(await db.revokeToken(token.id, day0 + 10)).toEqual({ ...token, revokedMs: day0 + 10 });
      expect(await db.revokeToken(token.id, day0 + 20)).toEqual({ ...token, revokedMs: day0 + 10 });
      expect(await db.findToken(hash)).toEqual({ ...token, revokedMs: day0 + 10 });
      expect(await db.revokeToken('no-such-id', day0)).toBeUndefined();
    });
  });
}
