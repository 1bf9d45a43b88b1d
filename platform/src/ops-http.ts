import { once } from 'node:events';
import { createServer } from 'node:http';
import { PortInUseError } from './errors.js';
import type { Registry } from './metrics.js';

/**
 * A process's operations endpoint (the gateway's, the cloud's), apart from any public
 * listener: `GET /metrics` (Prometheus) and `GET /healthz`
 * (200 while it serves, 503 once it drains, so a load balancer stops sending devices).
 */
export async function startOpsHttp(o: {
  host: string;
  port: number;
  metrics: Registry;
  healthy: () => boolean;
  /** What it is called in a message, and the setting that chooses its port. */
  name: string;
  portSetting: string;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      o.metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': o.metrics.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: err.message }));
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      const ok = o.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'draining' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });
  try {
    server.listen(o.port, o.host);
    await once(server, 'listening');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(o.name, o.host, o.port, o.portSetting);
    }
    throw err;
  }
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : o.port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
