import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry, SqliteStore } from '@fleetline/platform';
import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../../test-support/tls.js';
import { generateSecret, hashSecret } from '../src/credentials.js';
import { type RunningGateway, startGateway } from '../src/gateway.js';
import { RegistryIdentity } from '../src/registry-identity.js';

/**
 * MQTT over TLS: passwords over an encrypted link, and mutual TLS where a client certificate
 * signed by the gateway's CA names the device (its CN) and no password is needed — still only
 * for registered, unrevoked devices connecting under their own id.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-tls-'));
const store = new SqliteStore({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
let pki: TestPki;
let gateway: RunningGateway;
const secret = generateSecret();

beforeAll(async () => {
  pki = makeTestPki(dir);
  const now = Date.now();
  await store.addDevice({
    deviceId: 'tls-1',
    secretHash: await hashSecret(secret),
    createdMs: now,
  });
  await store.addDevice({
    deviceId: 'cert-1',
    secretHash: await hashSecret(generateSecret()),
    createdMs: now,
  });
  await store.addDevice({ deviceId: 'cert-revoked', secretHash: 'x', createdMs: now });
  await store.revokeDevice('cert-revoked', now);
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    tls: { port: 0, key: pki.serverKey, cert: pki.serverCert, ca: pki.ca },
    gatewayId: 'gw-tls',
    producer: await log.createProducer(),
    identity: new RegistryIdentity(store),
    logger: createLogger('gateway-test', 'silent'),
    metrics: new Registry(),
  });
});

afterAll(async () => {
  await gateway.close();
  await log.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tryConnect(options: mqtt.IClientOptions): Promise<number | 'closed'> {
  const client = mqtt.connect(`mqtts://127.0.0.1:${gateway.tlsPort}`, {
    reconnectPeriod: 0,
    ca: pki.ca,
    ...options,
  });
  try {
    return await new Promise((resolve) => {
      client.once('connect', () => resolve(0));
      client.once('error', (err) => {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'number') resolve(code);
      });
      client.once('close', () => resolve('closed'));
    });
  } finally {
    await client.endAsync(true);
  }
}

describe('gateway over TLS', () => {
  it('should admit a device by password over TLS and take its publishes', async () => {
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${gateway.tlsPort}`, {
      clientId: 'tls-1',
      username: 'tls-1',
      password: secret,
      ca: pki.ca,
      reconnectPeriod: 0,
    });
    await client.publishAsync(mqttTopic('tls-1', 'telemetry'), Buffer.from([0xff]), { qos: 1 });
    await client.endAsync();
  });

  it('should admit a device by its client certificate alone (mutual TLS)', async () => {
    const c = pki.client('cert-1');
    expect(await tryConnect({ clientId: 'cert-1', key: c.key, cert: c.cert })).toBe(0);
  });

  it('should refuse a certificate for another client id, or a revoked device', async () => {
    const c = pki.client('cert-1');
    expect(await tryConnect({ clientId: 'tls-1', key: c.key, cert: c.cert })).toBe(5);
    const r = pki.client('cert-revoked');
    expect(await tryConnect({ clientId: 'cert-revoked', key: r.key, cert: r.cert })).toBe(5);
  });

  it('should not take a certificate from another CA as an identity', async () => {
    const other = makeTestPki(mkdtempSync(join(dir, 'other-')));
    const c = other.client('cert-1');
    // Not verified against the gateway's CA: no identity from it, and no password either.
    expect(await tryConnect({ clientId: 'cert-1', key: c.key, cert: c.cert })).toBe(5);
  });

  it('should still serve plain MQTT beside TLS', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.port}`, {
      clientId: 'tls-1',
      username: 'tls-1',
      password: secret,
      reconnectPeriod: 0,
    });
    await client.endAsync();
  });
});
