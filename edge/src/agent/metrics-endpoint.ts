import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * The agent's `/metrics` (and `/healthz`) listener. Made before the agent opens anything and
 * listening only once it runs, so that on the cleanup stack it comes first and closes last:
 * the spool's drain at stop can still be scraped.
 */
export class MetricsEndpoint {
  private server: Server | undefined;

  constructor(private readonly registry: Registry) {}

  async listen(host: string, port: number): Promise<void> {
    this.server = await serveMetrics(this.registry, host, port);
  }

  /** The port it listens on (useful with port 0); undefined while it does not listen. */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  }
}

/** Serves /metrics (and /healthz) on a small HTTP listener. */
export async function serveMetrics(
  registry: Registry,
  host: string,
  port: number,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    }
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
