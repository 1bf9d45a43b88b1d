import { Registry } from '@fleetline/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayMetrics } from '../src/gateway-metrics.js';
import { clientIdIdentity, type DeviceIdentity } from '../src/identity.js';
import { GatewayHarness } from './support.js';

async function values(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)?.get())?.values ?? [];
}

function identityWithChecks(running: number, waiting: number): DeviceIdentity {
  return { ...clientIdIdentity, passwordChecks: { running, waiting } };
}

describe('gatewayMetrics', () => {
  it('should hand a second gateway on the registry the same metrics, not throw', () => {
    const registry = new Registry();
    const first = gatewayMetrics(registry);
    const second = gatewayMetrics(registry);
    expect(second.publishes).toBe(first.publishes);
    expect(second.commands).toBe(first.commands);
    expect(second.logLatency).toBe(first.logLatency);
  });

  it('should sum the sockets of every gateway observed, and drop one that closed', async () => {
    const registry = new Registry();
    const m = gatewayMetrics(registry);
    const stopA = m.observe({ identity: clientIdIdentity, sockets: { open: 3 } });
    gatewayMetrics(registry).observe({ identity: clientIdIdentity, sockets: { open: 4 } });
    expect(await values(registry, 'fleetline_gateway_sockets')).toEqual([{ labels: {}, value: 7 }]);
    stopA();
    expect(await values(registry, 'fleetline_gateway_sockets')).toEqual([{ labels: {}, value: 4 }]);
  });

  it('should count the password checks of an identity two gateways share once', async () => {
    const registry = new Registry();
    const shared = identityWithChecks(2, 5);
    gatewayMetrics(registry).observe({ identity: shared, sockets: { open: 0 } });
    gatewayMetrics(registry).observe({ identity: shared, sockets: { open: 0 } });
    gatewayMetrics(registry).observe({ identity: identityWithChecks(1, 1), sockets: { open: 0 } });
    // An identity without password checks (open auth) adds nothing.
    gatewayMetrics(registry).observe({ identity: clientIdIdentity, sockets: { open: 0 } });
    expect(await values(registry, 'fleetline_gateway_password_checks')).toEqual([
      { labels: { state: 'running' }, value: 3 },
      { labels: { state: 'waiting' }, value: 6 },
    ]);
  });

  it('should report no password checks when no identity has any', async () => {
    const registry = new Registry();
    gatewayMetrics(registry).observe({ identity: clientIdIdentity, sockets: { open: 0 } });
    expect(await values(registry, 'fleetline_gateway_password_checks')).toEqual([]);
  });
});

describe('two gateways on one registry', () => {
  const h = new GatewayHarness('gateway-metrics');
  afterAll(() => h.close());

  it('should both start, and count their connections into one gauge', async () => {
    const a = await h.start();
    const b = await h.start();
    expect(a.port).not.toBe(b.port);
    expect(await values(h.metrics, 'fleetline_gateway_connections')).toEqual([
      { labels: {}, value: 0 },
    ]);
  });
});
