import { describe, expect, it } from 'vitest';
import { Connections } from '../../src/connections.js';
import { authenticateHook, connackCodeFor } from '../../src/hooks/authenticate.js';
import type {
  ConnectAttempt,
  DeviceIdentity,
  IdentityResult,
  RefusalReason,
} from '../../src/identity.js';
import { callback, fakeClient, refusalRecorder, silentLogger, testMetrics } from '../fakes.js';

type Done = [(Error & { returnCode?: number }) | null, boolean | null];

/** An identity that answers as told and keeps what it was asked. */
function identityAnswering(answer: () => Promise<IdentityResult>) {
  const attempts: ConnectAttempt[] = [];
  const identity: DeviceIdentity = {
    identify(attempt) {
      attempts.push(attempt);
      return answer();
    },
  };
  return { identity, attempts };
}

function rig(answer: () => Promise<IdentityResult>) {
  const { identity, attempts } = identityAnswering(answer);
  const connections = new Connections();
  const refusals = refusalRecorder();
  const metrics = testMetrics();
  const errors: unknown[] = [];
  const log = Object.assign(Object.create(silentLogger), {
    error: (fields: unknown) => void errors.push(fields),
  });
  const authenticate = authenticateHook({
    identity,
    connections,
    authFailures: metrics.m.authFailures,
    refusals,
    log,
  });
  const run = async (clientId: string, username?: string, password?: string, conn = {}) => {
    const client = fakeClient(clientId, conn);
    const done = callback<Done>();
    authenticate(client, username, password ? Buffer.from(password) : undefined, done.fn);
    return { client, result: await done.called };
  };
  return { attempts, connections, refusals, metrics, errors, authenticate, run };
}

describe('authenticateHook', () => {
  it('should pin the device the identity answers to the connection', async () => {
    const r = rig(async () => ({ deviceId: 'dev-1' }));
    const { client, result } = await r.run('dev-1', 'dev-1', 'secret');
    expect(result).toEqual([null, true]);
    expect(r.connections.deviceOf(client)).toBe('dev-1');
    expect(r.refusals.lines).toEqual([]);
  });

  it('should ask the identity with the client id, credentials, address and certificate', async () => {
    const r = rig(async () => ({ deviceId: 'dev-1' }));
    const stream = {};
    r.connections.accepted(stream, { address: '10.0.0.7', certificateDeviceId: 'dev-1' });
    await r.run('dev-1', 'dev-1', 'secret', stream);
    // A connection no listener reported has address 'unknown' and no certificate.
    await r.run('dev-2', 'dev-2', 'other');
    expect(r.attempts).toEqual([
      {
        clientId: 'dev-1',
        username: 'dev-1',
        password: Buffer.from('secret'),
        address: '10.0.0.7',
        certificateDeviceId: 'dev-1',
      },
      { clientId: 'dev-2', username: 'dev-2', password: Buffer.from('other'), address: 'unknown' },
    ]);
  });

  it('should refuse a CONNECT without a client id with CONNACK 2, without asking', async () => {
    const r = rig(async () => ({ deviceId: 'dev-1' }));
    const stream = {};
    r.connections.accepted(stream, { address: '10.0.0.8' });
    const client = fakeClient('aedes_made_up', stream);
    r.connections.connectedWithoutClientId(client);
    const done = callback<Done>();
    r.authenticate(client, 'dev-1', Buffer.from('secret'), done.fn);
    const [err, ok] = await done.called;
    expect(ok).toBe(false);
    expect(err?.returnCode).toBe(2);
    expect(err?.message).toBe('identifier rejected');
    expect(r.attempts).toEqual([]);
    expect(r.connections.deviceOf(client)).toBeUndefined();
    expect(await r.metrics.counts('fleetline_gateway_auth_failures_total')).toEqual({
      'no-client-id': 1,
    });
    expect(r.refusals.lines).toEqual([
      {
        level: 'warn',
        key: '10.0.0.8',
        fields: { address: '10.0.0.8', username: 'dev-1', reason: 'no-client-id' },
        msg: 'connection refused',
      },
    ]);
  });

  it('should answer a refusal with the CONNACK code of its reason, counted and logged', async () => {
    let reason: RefusalReason = 'bad-password';
    const r = rig(async () => ({ refused: reason }));
    const codes: Record<string, number | undefined> = {};
    for (reason of ['bad-password', 'unknown-device', 'busy', 'revoked'] as const) {
      const { client, result } = await r.run('dev-1', 'dev-1', 'wrong');
      expect(result[1]).toBe(false);
      expect(r.connections.deviceOf(client)).toBeUndefined();
      codes[reason] = result[0]?.returnCode;
    }
    expect(codes).toEqual({ 'bad-password': 4, 'unknown-device': 4, busy: 3, revoked: 5 });
    expect(await r.metrics.counts('fleetline_gateway_auth_failures_total')).toEqual({
      'bad-password': 1,
      'unknown-device': 1,
      busy: 1,
      revoked: 1,
    });
    expect(r.refusals.lines[0]).toEqual({
      level: 'warn',
      key: 'unknown',
      fields: { address: 'unknown', clientId: 'dev-1', username: 'dev-1', reason: 'bad-password' },
      msg: 'connection refused',
    });
  });

  it('should answer server unavailable (3) when the identity cannot be asked', async () => {
    const r = rig(async () => {
      throw new Error('registry unreachable');
    });
    const { client, result } = await r.run('dev-1', 'dev-1', 'secret');
    expect(result[1]).toBe(false);
    expect(result[0]?.returnCode).toBe(3);
    expect(result[0]?.message).toBe('registry unreachable');
    expect(r.connections.deviceOf(client)).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(await r.metrics.counts('fleetline_gateway_auth_failures_total')).toEqual({});
  });
});

describe('connackCodeFor', () => {
  it('should not tell an unknown id from a wrong password, and ask busy devices back later', () => {
    const reasons: RefusalReason[] = [
      'no-credentials',
      'unknown-device',
      'bad-password',
      'revoked',
      'client-id-mismatch',
      'busy',
      'throttled',
    ];
    expect(Object.fromEntries(reasons.map((r) => [r, connackCodeFor(r)]))).toEqual({
      'no-credentials': 5,
      'unknown-device': 4,
      'bad-password': 4,
      revoked: 5,
      'client-id-mismatch': 5,
      busy: 3,
      throttled: 3,
    });
  });
});
