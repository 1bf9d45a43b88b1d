import { Registry } from '@fleetline/platform';
import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../src/credentials.js';
import type { RunningGateway } from '../src/gateway.js';
import { RegistryIdentity } from '../src/registry-identity.js';
import { GatewayHarness } from './support.js';

/**
 * Device authentication against the registry: each kind of refusal is refused with the right
 * CONNACK code and counted by reason, and a registered device next to them is unaffected.
 */

const h = new GatewayHarness('auth');
const { telemetryDb, secrets } = h;
let gateway: RunningGateway;

beforeAll(async () => {
  for (const id of ['good-1', 'good-2']) await h.register(id);
  await h.register('revoked-1', { revoked: true });
  gateway = await h.start();
});

afterAll(() => h.close());

/** Connects and resolves with the CONNACK return code (0: accepted). */
async function connackCode(
  options: mqtt.IClientOptions,
  url = `mqtt://127.0.0.1:${gateway.port}`,
): Promise<number> {
  const client = mqtt.connect(url, {
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...options,
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      client.once('connect', () => resolve(0));
      client.once('error', (err) => {
        const code = (err as { code?: number }).code;
        if (typeof code === 'number') resolve(code);
        else reject(err);
      });
    });
  } finally {
    await client.endAsync(true);
  }
}

const failures = () => h.counts('fleetline_gateway_auth_failures_total', 'reason');

describe('gateway device authentication', () => {
  it('should store only a scrypt hash that verifies the secret and nothing else', async () => {
    const device = await telemetryDb.getDevice('good-1');
    expect(device?.secretHash).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(device?.secretHash).not.toContain(secrets.get('good-1'));
    expect(await verifySecret(secrets.get('good-1') as string, device?.secretHash as string)).toBe(
      true,
    );
    expect(await verifySecret(secrets.get('good-2') as string, device?.secretHash as string)).toBe(
      false,
    );
    expect(await verifySecret('x', 'scrypt$40$8$1$AAAA$AAAA')).toBe(false); // absurd cost refused
  });

  it('should admit a registered device with its secret, and again from memory', async () => {
    // A gateway of its own whose scrypt checks are counted.
    let checks = 0;
    const counting = (secret: string, hash: string) => {
      checks++;
      return verifySecret(secret, hash);
    };
    const g = await h.start({
      identity: new RegistryIdentity(telemetryDb, { verify: counting }),
      metrics: new Registry(),
    });
    const url = `mqtt://127.0.0.1:${g.port}`;
    const ok = { clientId: 'good-1', username: 'good-1', password: secrets.get('good-1') };
    expect(await connackCode(ok, url)).toBe(0);
    expect(await connackCode(ok, url)).toBe(0);
    expect(checks).toBe(1);
    // A wrong password for a remembered device is checked like any other (a quick answer
    // would tell that the id exists).
    expect(await connackCode({ ...ok, password: 'wrong' }, url)).toBe(4);
    expect(checks).toBe(2);
  });

  it.each([
    [
      'a wrong password',
      { clientId: 'good-1', username: 'good-1', password: 'nope' },
      4,
      'bad-password',
    ],
    ['no credentials', { clientId: 'good-1' }, 5, 'no-credentials'],
    [
      'an unknown device (with the code of a wrong password)',
      { clientId: 'ghost', username: 'ghost', password: 'x' },
      4,
      'unknown-device',
    ],
    [
      'an empty password',
      { clientId: 'revoked-1', username: 'revoked-1', password: '' },
      5,
      'no-credentials',
    ],
    [
      'another device’s client id',
      { clientId: 'good-2', username: 'good-1' },
      5,
      'client-id-mismatch',
    ],
  ] as const)('should refuse %s and count it', async (_what, options, code, reason) => {
    const o: mqtt.IClientOptions = { ...options };
    if (reason === 'client-id-mismatch') o.password = secrets.get('good-1');
    const before = (await failures())[reason] ?? 0;
    expect(await connackCode(o)).toBe(code);
    expect((await failures())[reason]).toBe(before + 1);
  });

  it('should refuse a revoked device even with its right secret', async () => {
    const before = (await failures()).revoked ?? 0;
    const o = { clientId: 'revoked-1', username: 'revoked-1', password: secrets.get('revoked-1') };
    expect(await connackCode(o)).toBe(5);
    expect((await failures()).revoked).toBe(before + 1);
  });

  it('should refuse a device revoked after it connected once, at its next connect', async () => {
    await h.register('soon-revoked');
    const o = {
      clientId: 'soon-revoked',
      username: 'soon-revoked',
      password: secrets.get('soon-revoked'),
    };
    expect(await connackCode(o)).toBe(0);
    await telemetryDb.revokeDevice('soon-revoked', Date.now());
    expect(await connackCode(o)).toBe(5);
  });

  it('should keep a registered device publishing while others are refused around it', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.port}`, {
      clientId: 'good-2',
      username: 'good-2',
      password: secrets.get('good-2'),
      reconnectPeriod: 0,
    });
    const refusals = Array.from({ length: 5 }, () =>
      connackCode({ clientId: 'good-2x', username: 'good-2', password: 'wrong' }),
    );
    // Not a valid batch: the gateway dead-letters it and still acknowledges it.
    await client.publishAsync(mqttTopic('good-2', 'telemetry'), Buffer.from([0xff]), { qos: 1 });
    expect(await Promise.all(refusals)).toEqual([4, 4, 4, 4, 4]);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('should disconnect a connected device soon after it is revoked', async () => {
    const quick = await h.start({ revocationCheckMs: 100, metrics: new Registry() });
    try {
      await h.register('revoke-live');
      await h.register('stays-live');
      const connect = (id: string) =>
        mqtt.connectAsync(`mqtt://127.0.0.1:${quick.port}`, {
          clientId: id,
          username: id,
          password: secrets.get(id),
          reconnectPeriod: 0,
        });
      const [doomed, other] = [await connect('revoke-live'), await connect('stays-live')];
      const closed = new Promise<void>((r) => doomed.once('close', () => r()));
      await telemetryDb.revokeDevice('revoke-live', Date.now());
      await closed;
      // Wait a few more checks: the other device stays.
      await new Promise((r) => setTimeout(r, 400));
      expect(other.connected).toBe(true);
      await other.endAsync();
      await doomed.endAsync(true);
    } finally {
      await quick.close().catch(() => {});
    }
  });
});
