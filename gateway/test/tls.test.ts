import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Registry } from '@fleetline/platform';
import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../../test-support/tls.js';
import type { RunningGateway } from '../src/gateway.js';
import { GatewayHarness, RawClient } from './support.js';

/**
 * MQTT over TLS: passwords over an encrypted link, and mutual TLS where a client certificate
 * signed by the gateway's CA names the device (its CN) and no password is needed — still only
 * for registered, unrevoked devices connecting under their own id.
 */

const h = new GatewayHarness('tls');
let pki: TestPki;
let gateway: RunningGateway;
let secret: string;

beforeAll(async () => {
  pki = makeTestPki(h.dir);
  secret = await h.register('tls-1');
  await h.register('cert-1');
  await h.register('cert-revoked', { revoked: true });
  gateway = await h.start({
    tls: { port: 0, key: pki.serverKey, cert: pki.serverCert, ca: pki.ca },
  });
});

afterAll(() => h.close());

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
    const other = makeTestPki(mkdtempSync(join(h.dir, 'other-')));
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

  it('should close a TLS connection over the bound before its handshake, counted as such', async () => {
    const metrics = new Registry();
    const small = await h.start({
      maxConnections: 1,
      tls: { port: 0, key: pki.serverKey, cert: pki.serverCert },
      metrics,
    });
    const holder = await RawClient.open(small.port);
    try {
      const socket = tlsConnect({ host: '127.0.0.1', port: small.tlsPort as number, ca: pki.ca });
      const outcome = await new Promise<string>((resolve) => {
        socket.once('secureConnect', () => resolve('handshake'));
        socket.once('error', () => resolve('closed'));
        socket.once('close', () => resolve('closed'));
      });
      socket.destroy();
      expect(outcome).toBe('closed');
      const m = await metrics.getSingleMetric('fleetline_gateway_connections_refused_total')?.get();
      const by = Object.fromEntries((m?.values ?? []).map((v) => [v.labels.reason, v.value]));
      expect(by).toEqual({ 'max-connections': 1 });
    } finally {
      holder.close();
    }
  });
});
