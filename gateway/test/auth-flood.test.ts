import { Registry } from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { verifySecret } from '../src/credentials.js';
import type { RunningGateway } from '../src/gateway.js';
import { RegistryIdentity, type RegistryIdentityOptions } from '../src/registry-identity.js';
import { GatewayHarness, rawConnack } from './support.js';

/**
 * Password floods: wrong passwords cost a 32 MiB scrypt each, so the gateway bounds how many
 * run and wait, remembers failures, limits failures per device id and per address, and answers
 * unknown and registered ids alike — code and work — so device ids cannot be listed.
 */

const h = new GatewayHarness('auth-flood');
const { secrets } = h;

beforeAll(async () => {
  for (const id of ['target-1', 'target-2', 'target-3', 'target-4', 'revoked-9']) {
    await h.register(id, { revoked: id.startsWith('revoked') });
  }
  for (let i = 1; i <= 6; i++) await h.register(`legit-${i}`);
});
afterAll(() => h.close());

/** A gateway of its own whose scrypt checks are counted (or held back by `gate`). */
async function gatewayCountingHashes(
  options: Omit<RegistryIdentityOptions, 'verify'> = {},
  gate?: Promise<void>,
) {
  const hashed: string[] = [];
  const verify = async (secret: string, hash: string) => {
    hashed.push(secret);
    await gate;
    return verifySecret(secret, hash);
  };
  const identity = new RegistryIdentity(h.telemetryDb, { ...options, verify });
  const gateway: RunningGateway = await h.start({ identity, metrics: new Registry() });
  return { gateway, hashed, identity };
}

const connack = (port: number, id: string, password: string, localAddress?: string) =>
  rawConnack(port, {
    clientId: id,
    username: id,
    password,
    ...(localAddress ? { localAddress } : {}),
  });

describe('gateway password floods', () => {
  it('should connect a device promptly while one address floods another device with wrong passwords', async () => {
    const { gateway, hashed } = await gatewayCountingHashes();
    // The time of one connect with its check, on this machine under its load now.
    const alone = await connack(
      gateway.port,
      'legit-6',
      secrets.get('legit-6') as string,
      '127.0.0.3',
    );
    expect(alone.code).toBe(0);
    const flood = Array.from({ length: 80 }, (_, i) =>
      connack(gateway.port, 'target-1', `wrong-${i}`),
    );
    // A device connecting for the first time since the gateway started: its secret must be
    // hashed too, and must not wait behind the flood's.
    const legit = await connack(
      gateway.port,
      'legit-1',
      secrets.get('legit-1') as string,
      '127.0.0.2',
    );
    const refused = await Promise.all(flood);

    expect(legit.code).toBe(0);
    // It waits behind the few checks the flood is allowed (five, two at a time): about four
    // times a connect alone. Before those bounds it waited behind all 80: 20.9 s, 40 times.
    expect(legit.ms).toBeLessThan(15 * alone.ms);
    expect(refused.every((r) => r.code === 3 || r.code === 4)).toBe(true);
    // The flood's checks are bounded by the per-device failure limit (5 a minute by default).
    expect(hashed.filter((s) => s.startsWith('wrong-')).length).toBeLessThanOrEqual(5);
  }, 60_000);

  it('should answer unknown, registered and revoked ids with the same code after the same work', async () => {
    const { gateway, hashed } = await gatewayCountingHashes();
    const unknown = await connack(gateway.port, 'ghost-1', 'guess-a');
    const registered = await connack(gateway.port, 'target-2', 'guess-b');
    const revoked = await connack(gateway.port, 'revoked-9', 'guess-c');
    expect([unknown.code, registered.code, revoked.code]).toEqual([4, 4, 4]);
    expect(hashed).toEqual(['guess-a', 'guess-b', 'guess-c']);
  });

  it('should hash a wrong password for a device it remembers, as for any other', async () => {
    const { gateway, hashed } = await gatewayCountingHashes();
    const secret = secrets.get('legit-2') as string;
    expect((await connack(gateway.port, 'legit-2', secret)).code).toBe(0);
    expect((await connack(gateway.port, 'legit-2', secret)).code).toBe(0);
    expect(hashed).toEqual([secret]); // the second connect came from memory
    // A quick refusal here would tell that the id is registered and was connected lately.
    expect((await connack(gateway.port, 'legit-2', 'guess-d')).code).toBe(4);
    expect(hashed).toEqual([secret, 'guess-d']);
  });

  it('should refuse the same wrong password again without hashing it, for any id', async () => {
    const { gateway, hashed } = await gatewayCountingHashes();
    for (const id of ['ghost-2', 'target-3']) {
      expect((await connack(gateway.port, id, 'same-guess')).code).toBe(4);
      expect((await connack(gateway.port, id, 'same-guess')).code).toBe(4);
    }
    expect(hashed).toEqual(['same-guess', 'same-guess']);
    // The right secret after a remembered wrong one is checked as usual.
    expect((await connack(gateway.port, 'legit-3', 'nope')).code).toBe(4);
    expect((await connack(gateway.port, 'legit-3', secrets.get('legit-3') as string)).code).toBe(0);
  });

  it('should limit failures per device id across addresses, and per address across ids', async () => {
    const { gateway, hashed } = await gatewayCountingHashes({
      failuresPerDevicePerMinute: 3,
      failuresPerAddressPerMinute: 4,
    });
    // One id from six addresses: three checks, then refused before hashing.
    const perId = [];
    for (let i = 0; i < 6; i++) {
      perId.push(
        (await connack(gateway.port, 'target-4', `id-guess-${i}`, `127.0.1.${i + 1}`)).code,
      );
    }
    expect(perId).toEqual([4, 4, 4, 3, 3, 3]);
    // An unknown id is limited the same way.
    const unknown = [];
    for (let i = 0; i < 4; i++) {
      unknown.push(
        (await connack(gateway.port, 'ghost-3', `ghost-guess-${i}`, `127.0.2.${i + 1}`)).code,
      );
    }
    expect(unknown).toEqual([4, 4, 4, 3]);
    // One address, a new id each time: four checks, then refused before hashing.
    const perAddress = [];
    for (let i = 0; i < 6; i++) {
      perAddress.push(
        (await connack(gateway.port, `ghost-x${i}`, `addr-guess-${i}`, '127.0.3.1')).code,
      );
    }
    expect(perAddress).toEqual([4, 4, 4, 4, 3, 3]);
    expect(hashed.length).toBe(3 + 3 + 4);
    // Devices elsewhere are untouched.
    expect(
      (await connack(gateway.port, 'legit-4', secrets.get('legit-4') as string, '127.0.4.1')).code,
    ).toBe(0);
  });

  it('should refuse with server unavailable, not queue, when the checks are all taken', async () => {
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const { gateway, identity } = await gatewayCountingHashes(
      { hashConcurrency: 1, hashQueue: 2 },
      gate,
    );
    const waiting = [1, 2, 3].map((i) => connack(gateway.port, `ghost-q${i}`, 'q', `127.0.5.${i}`));
    // Three checks admitted (one running, two waiting) before the fourth comes.
    await eventually(
      () => identity.passwordChecks.running === 1 && identity.passwordChecks.waiting === 2,
      'one check running and two waiting',
      10_000,
    );
    const over = await connack(
      gateway.port,
      'legit-5',
      secrets.get('legit-5') as string,
      '127.0.5.9',
    );
    expect(over.code).toBe(3);
    open();
    expect((await Promise.all(waiting)).map((r) => r.code)).toEqual([4, 4, 4]);
    expect((await connack(gateway.port, 'legit-5', secrets.get('legit-5') as string)).code).toBe(0);
  });
});
