import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connections } from '../src/connections.js';
import type { DeviceIdentity } from '../src/identity.js';
import { checkRevocations, startRevocationSweep } from '../src/revocation.js';
import { fakeClient, silentLogger, testMetrics } from './fakes.js';

afterEach(() => vi.useRealTimers());

/** Connections with these devices connected, each on a fresh client. */
function connected(...deviceIds: string[]) {
  const connections = new Connections();
  const clients = deviceIds.map((deviceId) => {
    const client = fakeClient(deviceId);
    connections.authenticated(client, deviceId);
    connections.ready(client);
    return client;
  });
  return { connections, clients };
}

describe('checkRevocations', () => {
  it('should disconnect, at the next sweep, the devices no longer allowed', async () => {
    vi.useFakeTimers();
    const { connections } = connected('dev-1', 'dev-2', 'dev-3');
    const revoked = new Set(['dev-2']);
    const closed: string[] = [];
    const timer = checkRevocations({
      stillAllowed: async (deviceId) => !revoked.has(deviceId),
      connections: () => connections.devices(),
      isCurrent: (deviceId, client) => connections.isCurrent(deviceId, client),
      everyMs: 1000,
      onRevoked: (deviceId) => void closed.push(deviceId),
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(closed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toEqual(['dev-2']);
    clearInterval(timer);
  });

  it('should keep devices connected while the registry cannot be read', async () => {
    vi.useFakeTimers();
    const { connections } = connected('dev-1');
    const closed: string[] = [];
    const timer = checkRevocations({
      stillAllowed: async () => {
        throw new Error('store unreachable');
      },
      connections: () => connections.devices(),
      isCurrent: () => true,
      everyMs: 1000,
      onRevoked: (deviceId) => void closed.push(deviceId),
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(closed).toEqual([]);
    clearInterval(timer);
  });

  it('should leave alone a connection replaced while its check ran', async () => {
    vi.useFakeTimers();
    const { connections, clients } = connected('dev-1');
    const [older] = clients;
    const closed: unknown[] = [];
    const timer = checkRevocations({
      async stillAllowed() {
        // The device reconnects (a takeover) while the registry is read.
        const newer = fakeClient('dev-1');
        connections.authenticated(newer, 'dev-1');
        connections.ready(newer);
        return false;
      },
      connections: () => connections.devices(),
      isCurrent: (deviceId, client) => connections.isCurrent(deviceId, client),
      everyMs: 1000,
      onRevoked: (_deviceId, client) => void closed.push(client),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(closed).toEqual([]);
    expect(older && connections.isCurrent('dev-1', older)).toBe(false);
    clearInterval(timer);
  });

  it('should not start a sweep while the last one still runs', async () => {
    vi.useFakeTimers();
    const { connections } = connected('dev-1');
    let asked = 0;
    let answer!: (allowed: boolean) => void;
    const timer = checkRevocations({
      stillAllowed: () => {
        asked++;
        return new Promise<boolean>((r) => {
          answer = r;
        });
      },
      connections: () => connections.devices(),
      isCurrent: () => true,
      everyMs: 1000,
      onRevoked: () => {},
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(asked).toBe(1);
    answer(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toBe(2);
    clearInterval(timer);
  });
});

describe('startRevocationSweep', () => {
  it('should not start for an identity that cannot revoke', () => {
    const identity: DeviceIdentity = { identify: async () => ({ refused: 'unknown-device' }) };
    const sweep = startRevocationSweep({
      identity,
      connections: new Connections(),
      everyMs: 1000,
      revokedDisconnects: testMetrics().m.revokedDisconnects,
      log: silentLogger,
    });
    expect(sweep).toBeUndefined();
  });

  it('should close a revoked device’s connection, counted', async () => {
    vi.useFakeTimers();
    const { connections, clients } = connected('dev-1', 'dev-2');
    const metrics = testMetrics();
    const identity: DeviceIdentity = {
      identify: async () => ({ refused: 'unknown-device' }),
      stillAllowed: async (deviceId) => deviceId !== 'dev-1',
    };
    const sweep = startRevocationSweep({
      identity,
      connections,
      everyMs: 1000,
      revokedDisconnects: metrics.m.revokedDisconnects,
      log: silentLogger,
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(clients.map((c) => c.closedByGateway)).toEqual([true, false]);
    expect(await metrics.counts('fleetline_gateway_revoked_disconnects_total')).toEqual({ '': 1 });
    clearInterval(sweep);
  });
});
