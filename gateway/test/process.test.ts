import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { Service } from '../../test-support/process.js';

/**
 * The gateway as its own process (`fleetline-gateway`): metrics and health over HTTP, and a
 * graceful drain on SIGTERM.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-gw-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleetline-gateway process', () => {
  it('should serve /healthz and /metrics, and drain and exit 0 on SIGTERM', async () => {
    const gw = Service.start('gateway', 'gateway/dist/main.js', {
      FLEETLINE_DATA_DIR: dir,
      KAFKA_BROKERS: '',
      CASSANDRA_CONTACT_POINTS: '',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      GATEWAY_HTTP_PORT: '0',
      DEVICE_AUTH: 'open',
    });
    try {
      const line = await gw.waitFor(/gateway listening on/, 30_000);
      const { port, httpPort } = JSON.parse(line) as { port: number; httpPort: number };
      const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(health.status).toBe(200);
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
        clientId: 'ops-1',
        reconnectPeriod: 0,
      });
      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^fleetline_gateway_connections\{[^}]*\} 1$/m);
      expect((await fetch(`http://127.0.0.1:${httpPort}/nope`)).status).toBe(404);
      await device.endAsync();
      expect(await gw.stop()).toBe(0);
      expect(gw.output.join('\n')).toMatch(/MQTT listener closed/);
    } finally {
      await gw.kill();
    }
  }, 60_000);
});
