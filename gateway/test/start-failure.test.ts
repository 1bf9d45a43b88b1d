import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, PortInUseError, Registry } from '@fleetline/platform';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../test-support/process.js';
import { makeTestPki } from '../../test-support/tls.js';
import { startGateway } from '../src/gateway.js';
import { clientIdIdentity } from '../src/identity.js';

/**
 * A gateway that cannot start releases everything it had opened: the listeners that did come
 * up, and its timers — so an embedding process (npm start, a test) can try again on the same
 * ports, and is not kept alive by a gateway that never ran.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-start-failure-'));
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const pki = makeTestPki(dir);
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

async function listen(port: number): Promise<Server> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

describe('gateway start failure', () => {
  it('should free the ports it bound and stop its timers when a later listener cannot bind', async () => {
    const [mqttPort, wsPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
    const taken = await listen(tlsPort);
    const intervals = new Set<unknown>();
    const setInterval = globalThis.setInterval;
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((
      ...args: Parameters<typeof setInterval>
    ) => {
      const t = setInterval(...args);
      intervals.add(t);
      return t;
    }) as typeof setInterval);
    const clearInterval = globalThis.clearInterval;
    vi.spyOn(globalThis, 'clearInterval').mockImplementation((t) => {
      intervals.delete(t);
      clearInterval(t);
    });
    try {
      const started = startGateway({
        host: '127.0.0.1',
        port: mqttPort,
        webSocketPort: wsPort,
        tls: { port: tlsPort, key: pki.serverKey, cert: pki.serverCert },
        gatewayId: 'gw-fails',
        producer: await log.createProducer(),
        // With revocation checks, so the gateway has its timer.
        identity: { ...clientIdIdentity, stillAllowed: async () => true },
        logger: createLogger('gateway-test', 'silent'),
        metrics: new Registry(),
      });
      await expect(started).rejects.toThrow(PortInUseError);
      await expect(started).rejects.toThrow(/MQTTS_PORT/);
      // Both ports it had bound are free again, and no interval of it is left running.
      await close(await listen(mqttPort));
      await close(await listen(wsPort));
      expect(intervals.size).toBe(0);
    } finally {
      await close(taken);
    }
  });
});
