import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Registry, SqliteRecordsDb, SqliteTelemetryDb } from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess, type TestAccess } from '../../../test-support/access.js';
import { hashPassword } from '../../src/access/passwords.js';
import { secretHash } from '../../src/access/secrets.js';
import { type Api, buildApi } from '../../src/api/server.js';

/**
 * Signing in and what a session and a token are good for: CSRF on cookie writes, no session
 * fixation, sign-out and expiry refused at once, revoked tokens refused at their next request,
 * sign-in limits that say nothing about which accounts exist, hostile names kept verbatim.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sessions-'));
const records = new SqliteRecordsDb({ path: join(dir, 'records.sqlite') });
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
let access: TestAccess;
let api: Api;
const PASSWORD = 'correct horse battery';
const IDLE_MS = 30 * 60_000;
const LIMITS = { loginBurst: 3, loginEverySeconds: 60, addressBurst: 1000, addressEverySeconds: 1 };

const hostileNames = [
  `O'Brien "the" driver`,
  `'; DROP TABLE users; --`,
  '<script>alert(1)</script>',
  '司机 🚗🔥 émoji',
  'x'.repeat(10_000),
];

async function person(
  name: string,
  username: string,
  role: 'service_advisor' | 'org_admin' = 'service_advisor',
) {
  const user = await records.createUser({
    orgId: access.orgId,
    name,
    username,
    passwordHash: await hashPassword(PASSWORD),
    mustChangePassword: false,
  });
  await records.grantRole(
    user.id,
    role === 'org_admin'
      ? { role, orgId: access.orgId }
      : { role, orgId: access.orgId, storeId: access.storeId },
  );
  return user;
}

async function signIn(login: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const res = await api.inject({
    method: 'POST',
    url: '/api/session',
    payload: { login, password },
    headers,
  });
  const cookie = res.headers['set-cookie'] ? String(res.headers['set-cookie']) : '';
  return {
    res,
    cookie: cookie.split(';')[0] ?? '',
    setCookie: cookie,
    csrf: res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '',
  };
}

beforeAll(async () => {
  access = await openTestAccess(records);
  api = buildApi({
    telemetryDb,
    records,
    logger: createLogger('sessions-test', 'silent'),
    metrics: new Registry(),
    access: {
      idleMs: IDLE_MS,
      maxAgeMs: 8 * 3_600_000,
      signInLimits: LIMITS,
    },
  });
  await api.ready();
});
afterAll(async () => {
  await api.close();
  await access.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sign-in', () => {
  it('should set an HttpOnly, SameSite session cookie and answer the CSRF token', async () => {
    await person('Ada', 'ada');
    const { res, setCookie, csrf } = await signIn('ada');
    expect(res.statusCode).toBe(200);
    expect(setCookie).toMatch(/^fleetline_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(csrf.length).toBeGreaterThan(30);
    expect(res.json()).toMatchObject({ user: { name: 'Ada', username: 'ada' } });
  });

  it('should answer an unknown login and a wrong password alike', async () => {
    const unknown = await signIn('nobody-here', PASSWORD);
    const wrong = await signIn('ada', 'wrong password!');
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.body).toBe(wrong.res.body);
  });

  it('should start a new session at sign-in and end the one the browser came with (no fixation)', async () => {
    const first = await signIn('ada');
    const second = await signIn('ada', PASSWORD, { cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    const old = await api.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: first.cookie },
    });
    expect(old.statusCode).toBe(401);
    // A session id the attacker made up is never adopted either.
    const planted = await signIn('ada', PASSWORD, {
      cookie: 'fleetline_session=planted-by-attacker',
    });
    expect(planted.cookie).not.toContain('planted-by-attacker');
  });

  it('should limit attempts per login, the same way for a login that does not exist', async () => {
    await person('Limited', 'limited');
    const answers = async (login: string) => {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await signIn(login, 'wrong password!')).res.statusCode);
      return codes;
    };
    const real = await answers('limited');
    const ghost = await answers('ghost-account');
    expect(real).toEqual([401, 401, 401, 429, 429]);
    expect(ghost).toEqual(real);
    const limited = await signIn('limited');
    expect(limited.res.statusCode).toBe(429);
    expect(Number(limited.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.res.body).toBe((await signIn('ghost-account')).res.body);
  });
});

describe('sign-in limits across processes', () => {
  it('should count the attempts every process sees, in the records they share', async () => {
    // A second API on the same records: another cloud process, as far as limits go.
    const other = buildApi({
      telemetryDb,
      records,
      logger: createLogger('sessions-test-2', 'silent'),
      metrics: new Registry(),
      access: { signInLimits: LIMITS },
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const app = i % 2 === 0 ? api : other;
        const res = await app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { login: 'spread-out', password: 'wrong password!' },
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await other.close();
    }
  });
});

describe('CSRF', () => {
  it('should refuse a cookie-authenticated write without the token, and take it with', async () => {
    await person('Admin', 'csrf-admin', 'org_admin');
    const { cookie, csrf } = await signIn('csrf-admin');
    const without = await api.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie },
      payload: { name: 'x', role: 'viewer' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    const wrong = await api.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie, 'x-csrf-token': `${csrf}x` },
      payload: { name: 'x', role: 'viewer' },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await api.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { name: 'x', role: 'viewer' },
    });
    expect(right.statusCode).toBe(201);
  });
});

describe('sign-out and expiry', () => {
  it('should refuse a session at once after sign-out', async () => {
    await person('Out', 'out');
    const { cookie, csrf } = await signIn('out');
    expect(
      (await api.inject({ method: 'GET', url: '/api/vehicles', headers: { cookie } })).statusCode,
    ).toBe(200);
    const out = await api.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect(
      (await api.inject({ method: 'GET', url: '/api/vehicles', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('should refuse a session idle beyond the limit', async () => {
    await person('Idle', 'idle');
    const { cookie } = await signIn('idle');
    // Make the session look idle: its last use long ago.
    const id = decodeURIComponent(cookie.split('=')[1] ?? '');
    await records.touchSession(secretHash(id), Date.now() - IDLE_MS - 1000);
    const res = await api.inject({ method: 'GET', url: '/api/vehicles', headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });
});

describe('API tokens', () => {
  it('should refuse a store-scoped token for a role not granted per store, naming the field', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: access.headers,
      payload: { name: 'fleet feed', role: 'fleet_manager', storeId: access.storeId },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: expect.stringContaining('body/storeId') });
  });

  it('should refuse a revoked token at its next request', async () => {
    const create = await api.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: access.headers,
      payload: { name: 'integration', role: 'viewer' },
    });
    expect(create.statusCode).toBe(201);
    const { token, tokenId } = create.json() as { token: string; tokenId: string };
    const bearer = { authorization: `Bearer ${token}` };
    expect(
      (await api.inject({ method: 'GET', url: '/api/vehicles', headers: bearer })).statusCode,
    ).toBe(200);
    const listed = await api.inject({ method: 'GET', url: '/api/tokens', headers: access.headers });
    expect(listed.body).not.toContain(token); // shown once, never again
    const revoke = await api.inject({
      method: 'DELETE',
      url: `/api/tokens/${tokenId}`,
      headers: access.headers,
    });
    expect(revoke.statusCode).toBe(200);
    expect(
      (await api.inject({ method: 'GET', url: '/api/vehicles', headers: bearer })).statusCode,
    ).toBe(401);
  });
});

describe('password reset and change', () => {
  it('should end every session at a reset, and hold the one-time password to a change first', async () => {
    const user = await person('Forgetful', 'forgetful');
    const before = await signIn('forgetful');
    const reset = await api.inject({
      method: 'POST',
      url: `/api/users/${user.id}/reset-password`,
      headers: access.headers,
    });
    expect(reset.statusCode).toBe(200);
    const { password } = reset.json() as { password: string };
    const vehicles = (headers: Record<string, string>) =>
      api.inject({ method: 'GET', url: '/api/vehicles', headers });
    expect((await vehicles({ cookie: before.cookie })).statusCode).toBe(401);
    expect((await signIn('forgetful')).res.statusCode).toBe(401); // the old password is gone
    const once = await signIn('forgetful', password);
    expect(once.res.json()).toMatchObject({ user: { mustChangePassword: true } });
    const held = await vehicles({ cookie: once.cookie });
    expect(held.statusCode).toBe(403);
    expect(held.json()).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    const change = await api.inject({
      method: 'POST',
      url: '/api/account/password',
      headers: { cookie: once.cookie, 'x-csrf-token': once.csrf },
      payload: { currentPassword: password, newPassword: 'a brand new password' },
    });
    expect(change.statusCode).toBe(200);
    const renewed = String(change.headers['set-cookie']).split(';')[0] as string;
    expect(renewed).not.toBe(once.cookie);
    expect((await vehicles({ cookie: once.cookie })).statusCode).toBe(401);
    expect((await vehicles({ cookie: renewed })).statusCode).toBe(200);
    const audit = await api.inject({ method: 'GET', url: '/api/audit', headers: access.headers });
    const actions = (audit.json() as { action: string; target?: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.reset-password',
        'account.password',
        'session.signin',
        'session.signin-failed',
      ]),
    );
  });
});

describe('a disabled organisation', () => {
  it("should refuse its tokens and its people's sessions at their next request", async () => {
    const other = await openTestAccess(records);
    const user = await records.createUser({
      orgId: other.orgId,
      name: 'Soon gone',
      username: 'soon-gone',
      passwordHash: await hashPassword(PASSWORD),
      mustChangePassword: false,
    });
    await records.grantRole(user.id, { role: 'viewer', orgId: other.orgId });
    const { cookie } = await signIn('soon-gone');
    const get = (headers: Record<string, string>) =>
      api.inject({ method: 'GET', url: '/api/vehicles', headers });
    expect((await get(other.headers)).statusCode).toBe(200);
    expect((await get({ cookie })).statusCode).toBe(200);
    await records.setOrganisationDisabled(other.orgId, true);
    expect((await get(other.headers)).statusCode).toBe(401);
    expect((await get({ cookie })).statusCode).toBe(401);
    expect((await signIn('soon-gone')).res.statusCode).toBe(401);
  });
});

describe('hostile strings', () => {
  it('should keep names verbatim, never executing them, never a 500', async () => {
    for (const [i, name] of hostileNames.entries()) {
      const res = await api.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: access.headers,
        payload: { name, role: 'viewer' },
      });
      if (name.length > 128) {
        expect(res.statusCode, `name ${i}`).toBe(400);
        expect(res.json()).toMatchObject({ message: expect.stringContaining('body/name') });
        continue;
      }
      expect(res.statusCode, `name ${i}`).toBe(201);
      expect((res.json() as { name: string }).name).toBe(name);
    }
    const listed = (
      await api.inject({ method: 'GET', url: '/api/tokens', headers: access.headers })
    ).json() as {
      name: string;
    }[];
    for (const name of hostileNames.filter((n) => n.length <= 128)) {
      expect(listed.map((t) => t.name)).toContain(name);
    }
    // The records still answer: nothing was dropped.
    expect(
      (await api.inject({ method: 'GET', url: '/api/users', headers: access.headers })).statusCode,
    ).toBe(200);
  });

  it('should refuse a sign-in with hostile logins as a wrong login, never a 500', async () => {
    for (const login of hostileNames.map((n) => n.slice(0, 128))) {
      const { res } = await signIn(login, 'whatever pass');
      expect([401, 429]).toContain(res.statusCode);
    }
  });
});
