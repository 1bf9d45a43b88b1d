import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { getOrCreateCounter, getOrCreateGauge, type Registry } from '@fleetline/platform';

/**
 * What one HTTP client may hold of the API's process. Slow clients (a request trickled in a
 * byte at a time, headers that never end, keep-alive connections left idle) and unlimited
 * connections once used every file handle of the process, and the MQTT listener in the same
 * process went down with the API. So:
 *
 * - connections: at most `maxConnections` open (beyond, Node drops them at accept), and at most
 *   `maxConnectionsPerAddress` from one IP address (beyond, answered 429 and closed at once);
 * - time: the request headers within `headersTimeoutMs`, the whole request within
 *   `requestTimeoutMs` (both answered 408 by Node and closed), an idle keep-alive connection
 *   closed after `keepAliveTimeoutMs`, and any connection with no traffic either way for
 *   `idleTimeoutMs` closed (a live stream's heartbeat is traffic; a client that stopped
 *   reading its stream is not).
 *
 * Live streams have their own, smaller caps (live-stream-caps.ts). MQTT has its own listener and
 * caps, so the API filling up never takes devices' connections.
 */

export interface HttpLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  idleTimeoutMs: number;
}

export const defaultHttpLimits: HttpLimits = {
  maxConnections: 10_000,
  maxConnectionsPerAddress: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
};

/** The timeouts as fastify's server options take them. */
export function serverTimeouts(l: HttpLimits) {
  return {
    // Node checks the header and request deadlines on this interval (default 30 s, which
    // would let a slow client stay up to 30 s past its deadline).
    http: {
      headersTimeout: Math.min(l.headersTimeoutMs, l.requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(1000, l.headersTimeoutMs / 4)),
    },
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionTimeout: l.idleTimeoutMs,
  };
}

const PER_ADDRESS_BODY = (max: number) =>
  JSON.stringify({
    statusCode: 429,
    error: 'Too Many Requests',
    message: `too many connections from this address (at most ${max} open at once); close some, or reuse connections (keep-alive)`,
  });

/** Counts the server's connections per address, refusing those over the caps. */
export function limitConnections(server: Server, l: HttpLimits, metrics: Registry): void {
  // Get-or-create: several servers may share a registry.
  const refused = getOrCreateCounter(metrics, {
    name: 'fleetline_http_connections_refused_total',
    help: 'HTTP connections refused, by reason (max-connections, per-address)',
    labelNames: ['reason'],
  });
  const open = getOrCreateGauge(metrics, {
    name: 'fleetline_http_connections',
    help: 'Open HTTP connections',
  });
  server.maxConnections = l.maxConnections;
  server.on('drop', () => refused.inc({ reason: 'max-connections' }));
  const perAddress = new Map<string, number>();
  const body = PER_ADDRESS_BODY(l.maxConnectionsPerAddress);
  // Ahead of the HTTP parser's own listener: a refused socket is answered and gone before a
  // request of it can be parsed.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (perAddress.get(address) ?? 0) + 1;
    if (count > l.maxConnectionsPerAddress) {
      refused.inc({ reason: 'per-address' });
      // Answered before its request is read: the client learns why, and the socket goes.
      socket.on('error', () => {});
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nRetry-After: 1\r\n\r\n${body}`,
      );
      socket.destroySoon();
      return;
    }
    perAddress.set(address, count);
    open.inc();
    socket.once('close', () => {
      open.dec();
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
}
