import { describe, expect, it } from 'vitest';
import { RecordConflictError } from '../../../src/errors.js';
import type { NewUser } from '../../../src/records-db/port/index.js';
import {
  type Adapter,
  openedPerTest,
  orgWithStore,
  rejection,
  unique,
  uniqueMobile,
} from './support.js';

/** The contract of the UserBook part: people, their logins and passwords, their grants. */
export function userBookContract(adapter: Adapter): void {
  describe('users', () => {
    const openRecordsDb = openedPerTest(adapter);
    const person = (orgId: string, o: Partial<NewUser> = {}): NewUser => ({
      orgId,
      name: 'Zhang Min',
      username: unique('zhang'),
      mobile: uniqueMobile(),
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$a$b',
      mustChangePassword: false,
      ...o,
    });

    it('should create a user, find it by username and by mobile, with its password hash', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const input = person(org.id, { mustChangePassword: true });
      const user = await db.createUser(input);
      expect(user).toEqual({
        id: expect.any(String),
        orgId: org.id,
        name: 'Zhang Min',
        username: input.username,
        mobile: input.mobile,
        disabled: false,
        mustChangePassword: true,
        createdMs: expect.any(Number),
      });
      expect(user).not.toHaveProperty('passwordHash');
      expect(await db.getUser(user.id)).toEqual(user);
      const found = { user, passwordHash: input.passwordHash };
      expect(await db.findUserByLogin(input.username!)).toEqual(found);
      expect(await db.findUserByLogin(input.mobile!)).toEqual(found);
      expect(await db.findUserByLogin(input.username!.toUpperCase())).toBeUndefined();
      expect(await db.findUserByLogin('')).toBeUndefined();
      expect(await db.getUser('no-such-id')).toBeUndefined();
    });

    it('should allow users without a username or without a mobile, any number of them', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const a = await db.createUser(person(org.id, { name: 'B', username: undefined }));
      const b = await db.createUser(person(org.id, { name: 'A', username: undefined }));
      const c = await db.createUser(person(org.id, { name: 'C', mobile: undefined }));
      const d = await db.createUser(person(org.id, { name: 'D', mobile: undefined }));
      expect(a).not.toHaveProperty('username');
      expect(c).not.toHaveProperty('mobile');
      expect(await db.listUsers(org.id)).toEqual([b, a, c, d]);
    });

    it('should refuse a taken username or mobile, naming the field, across organisations', async () => {
      const db = await openRecordsDb();
      const first = await db.createUser(person((await orgWithStore(db)).org.id));
      const { org } = await orgWithStore(db);
      const byName = await rejection(db.createUser(person(org.id, { username: first.username })));
      expect(byName).toBeInstanceOf(RecordConflictError);
      expect(byName).toMatchObject({ code: 'RECORD_CONFLICT', field: 'username' });
      const byMobile = await rejection(db.createUser(person(org.id, { mobile: first.mobile })));
      expect(byMobile).toMatchObject({ code: 'RECORD_CONFLICT', field: 'mobile' });
      expect(await db.listUsers(org.id)).toEqual([]);
    });

    it('should set a password and disable a user', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const input = person(org.id);
      const user = await db.createUser(input);
      await db.setPassword(user.id, 'new-hash', true);
      expect(await db.findUserByLogin(input.username!)).toEqual({
        user: { ...user, mustChangePassword: true },
        passwordHash: 'new-hash',
      });
      await db.setPassword(user.id, 'newer-hash', false);
      expect((await db.findUserByLogin(input.mobile!))?.passwordHash).toBe('newer-hash');
      const disabled = await db.setUserDisabled(user.id, true);
      expect(disabled).toEqual({ ...user, disabled: true });
      expect(await db.setUserDisabled('no-such-id', true)).toBeUndefined();
    });
  });

  describe('grants', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should grant idempotently, list grants, and revoke exactly the grant named', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const group = await db.createGroup({ orgId: org.id, name: 'Fleet' });
      const user = await db.createUser({
        orgId: org.id,
        name: 'Wang Fang',
        username: unique('wang'),
        passwordHash: 'h',
        mustChangePassword: false,
      });
      const orgWide = { role: 'viewer', orgId: org.id } as const;
      const inStore = { role: 'viewer', orgId: org.id, storeId: store.id } as const;
      const overGroup = { role: 'fleet_manager', orgId: org.id, groupId: group.id } as const;
      for (let i = 0; i < 2; i++) {
        await db.grantRole(user.id, orgWide);
        await db.grantRole(user.id, inStore);
        await db.grantRole(user.id, overGroup);
      }
      const grants = await db.grantsOf(user.id);
      expect(grants).toHaveLength(3);
      expect(grants).toEqual(expect.arrayContaining([orgWide, inStore, overGroup]));
      expect(grants.find((g) => g.role === 'viewer' && !g.storeId)).toEqual(orgWide);
      // The organisation-wide grant, not the store's.
      expect(await db.revokeRole(user.id, orgWide)).toBe(true);
      expect(await db.revokeRole(user.id, orgWide)).toBe(false);
      expect(await db.grantsOf(user.id)).toEqual(expect.arrayContaining([inStore, overGroup]));
      expect(await db.grantsOf(user.id)).toHaveLength(2);
      expect(await db.revokeRole(user.id, { ...inStore, role: 'store_manager' })).toBe(false);
      expect(await db.revokeRole(user.id, inStore)).toBe(true);
      expect(await db.revokeRole(user.id, overGroup)).toBe(true);
      expect(await db.grantsOf(user.id)).toEqual([]);
      expect(await db.grantsOf('no-such-id')).toEqual([]);
    });
  });
}
