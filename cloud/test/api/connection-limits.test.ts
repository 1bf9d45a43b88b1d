import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry, SqliteTelemetryDb } from '@fleetline/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { TestCleanup } from '../../../test-support/cleanup.js';
import { eventually } from '../../../test-support/infra.js';
import { type ApiLimits, buildApi, listenApi } from '../../src/api/server.js';
import { LiveFeed } from '../../src/live/live-feed.js';

/**
 * What one HTTP client may hold, on real sockets: slow clients are cut off by the header,
 * request and idle deadlines; connections are capped per address and in all; live streams are
 * capped per address (429) and in all (503). Through all of it the API keeps answering. The
 * requests that reach a route are an organisation admin's.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-http-limits-'));
const logger = createLogger('http-limits-test', 'silent');
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const access = await openTestAccess();
const { authorization } = access.headers;
const sockets: Socket[] = [];
const responses: IncomingMessage[] = [];
const cleanup = new TestCleanup();

beforeAll(async () => {
  await log.ensureTopics([{ name: 'alerts.v1', partitions: 1 }]);
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const r of responses.splice(0)) r.destroy();
  await cleanup.run();
});
afterAll(async () => {
  await log.close();
  await access.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startApi(limits: Partial<ApiLimits>) {
  const metrics = new Registry();
  const live = new LiveFeed({ log, logger, metrics });
  await live.start();
  const api = buildApi({
    telemetryDb,
    records: access.records,
    logger,
    metrics,
    live,
    limits,
  });
  const port = await listenApi(api, '127.0.0.1', 0);
  cleanup.defer(async () => {
    await api.close();
    await live.close();
  });
  const counted = async (name: string, reason: string) =>
    (await metrics.getSingleMetric(name)?.get())?.values.find((v) => v.labels.reason === reason)
      ?.value ?? 0;
  return { port, counted, base: `http://127.0.0.1:${port}` };
}

/** A raw TCP client: what it was sent back, and whether the server closed it. */
interface RawClient {
  socket: Socket;
  received(): string;
  readonly closed: boolean;
}

function raw(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    sockets.push(socket);
    let data = '';
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
    });
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        get closed() {
          return closed;
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** Opens GET /api/live from a given source address; resolves at the response head. */
function stream(port: number, localAddress = '127.0.0.1'): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/live',
      localAddress,
      agent: false,
      headers: { authorization },
    });
    req.on('response', (res) => {
      responses.push(res);
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

const bodyOf = async (res: IncomingMessage) => {
  let text = '';
  for await (const chunk of res) text += chunk;
  return JSON.parse(text) as { statusCode: number; message: string; code?: string };
};

const healthy = async (base: string) => (await fetch(`${base}/healthz`)).status === 200;

describe('slow clients', () => {
  it('should cut off silent, trickling-header and trickling-body clients while serving others', async () => {
    const { port, base } = await startApi({
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
      keepAliveTimeoutMs: 200,
    });
    const silent = await raw(port);
    const slowHeaders = await raw(port);
    const slowBody = await raw(port);
    const idleAfterResponse = await raw(port);
    idleAfterResponse.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    // Signed in: the body is read once the caller is known.
    slowBody.socket.write(
      `POST /api/alerts/a1/ack HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
    );
    const header = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let i = 0;
    const trickle = setInterval(() => {
      if (!slowHeaders.closed) slowHeaders.socket.write(header[i++] ?? 'a');
      if (!slowBody.closed) slowBody.socket.write(' ');
    }, 50);
    try {
      const started = Date.now();
      await eventually(
        async () =>
          (await healthy(base)) &&
          silent.closed &&
          slowHeaders.closed &&
          slowBody.closed &&
          idleAfterResponse.closed,
        () =>
          `every slow client cut off (silent ${silent.closed}, headers ${slowHeaders.closed}, body ${slowBody.closed}, keep-alive ${idleAfterResponse.closed})`,
        10_000,
      );
      expect(Date.now() - started).toBeLessThan(8_000);
      for (const c of [silent, slowHeaders, slowBody]) {
        expect(c.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      }
      expect(idleAfterResponse.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    } finally {
      clearInterval(trickle);
    }
  });

  it('should close a connection with no traffic either way after the idle timeout', async () => {
    const { port, base } = await startApi({ idleTimeoutMs: 1000, headersTimeoutMs: 60_000 });
    const idle = await raw(port);
    // A request begun and left hanging: the header deadline is far, the idle one is not.
    idle.socket.write('GET /healthz HTTP/1.1\r\n');
    await eventually(() => idle.closed, 'the idle connection closed', 8_000);
    expect(await healthy(base)).toBe(true);
  });
});

describe('connection caps', () => {
  it('should answer 429 past the per-address cap and let the address in again as its connections close', async () => {
    const { port, base, counted } = await startApi({ maxConnectionsPerAddress: 4 });
    const held = [await raw(port), await raw(port), await raw(port), await raw(port)];
    const over = await raw(port);
    await eventually(() => over.closed, 'the fifth connection closed');
    expect(over.received()).toMatch(/^HTTP\/1\.1 429 Too Many Requests/);
    expect(over.received()).toMatch(/too many connections from this address \(at most 4/);
    expect(await counted('fleetline_http_connections_refused_total', 'per-address')).toBe(1);
    // Another address is not affected.
    const other = await raw(port, '127.0.0.2');
    other.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => /200 OK/.test(other.received()), 'another address served');
    // Once one closes, this address is served again.
    held[0]?.socket.destroy();
    await eventually(() => healthy(base), 'the address served again');
  });

  it('should drop connections past the total cap, counting them', async () => {
    const { port, counted } = await startApi({ maxConnections: 3 });
    await Promise.all([raw(port), raw(port, '127.0.0.2'), raw(port, '127.0.0.3')]);
    const over = await raw(port, '127.0.0.4');
    await eventually(() => over.closed, 'the fourth connection dropped');
    expect(await counted('fleetline_http_connections_refused_total', 'max-connections')).toBe(1);
  });
});

describe('live stream caps', () => {
  it('should refuse the stream past the per-address cap with 429 and past the total with 503, while the API answers', async () => {
    const { port, base, counted } = await startApi({ maxStreamsPerAddress: 2, maxStreams: 3 });
    const open = [await stream(port), await stream(port), await stream(port, '127.0.0.2')];
    expect(open.map((r) => r.statusCode)).toEqual([200, 200, 200]);

    const perAddress = await stream(port);
    expect(perAddress.statusCode).toBe(429);
    expect(perAddress.headers['retry-after']).toBeDefined();
    const body = await bodyOf(perAddress);
    expect(body).toMatchObject({ statusCode: 429, code: 'CLOUD_TOO_MANY_STREAMS' });
    expect(body.message).toMatch(/too many live streams from this address \(2 open, at most 2\)/);

    const total = await stream(port, '127.0.0.3');
    expect(total.statusCode).toBe(503);
    expect((await bodyOf(total)).message).toMatch(/too many live streams open on this server/);
    expect(await counted('fleetline_live_streams_refused_total', 'per-address')).toBe(1);
    expect(await counted('fleetline_live_streams_refused_total', 'max-streams')).toBe(1);

    // The API answers, and the open streams are still open.
    expect((await fetch(`${base}/api/vehicles`, { headers: { authorization } })).status).toBe(200);
    expect(open.every((r) => !r.destroyed && !r.complete)).toBe(true);
    // A stream that closes frees its place.
    open[0]?.destroy();
    await eventually(async () => {
      const again = await stream(port);
      return again.statusCode === 200;
    }, 'a stream again after one closed');
  });
});
