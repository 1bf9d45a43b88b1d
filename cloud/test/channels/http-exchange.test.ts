import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, retryAfterMs } from '../../src/channels/http-exchange.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server that treats each request as told, at a URL of its own. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('exchange', () => {
  it('should give the status, headers and body of an answer, whatever its status', async () => {
    const url = await serve((_, res) => res.writeHead(503, { 'retry-after': '3' }).end('busy'));
    const x = await exchange(url, {}, 2_000);
    expect(x).toMatchObject({ kind: 'answered', status: 503, body: 'busy' });
    expect(x.kind === 'answered' && x.headers.get('retry-after')).toBe('3');
  });

  it('should call a missing answer a timeout, and a body that stalls one too', async () => {
    const silent = await serve(() => {});
    expect(await exchange(silent, {}, 200)).toEqual({ kind: 'timed-out', afterMs: 200 });
    const stalling = await serve((_, res) => res.writeHead(200).write('{"par'));
    expect(await exchange(stalling, {}, 200)).toEqual({ kind: 'timed-out', afterMs: 200 });
  });

  it('should say a dropped connection may have carried the request, a refused one not', async () => {
    const dropping = await serve((req) => req.socket.destroy());
    expect(await exchange(dropping, { method: 'POST', body: 'x' }, 2_000)).toMatchObject({
      kind: 'failed',
      maybeSent: true,
    });
    const closed = await serve(() => {});
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    expect(await exchange(closed, {}, 2_000)).toMatchObject({
      kind: 'failed',
      code: 'ECONNREFUSED',
      maybeSent: false,
    });
  });
});

describe('retryAfterMs', () => {
  it('should read delay-seconds and HTTP dates, and nothing else', () => {
    const now = Date.UTC(2026, 11, 5, 8, 0, 0);
    const h = (v: string) => new Headers({ 'retry-after': v });
    expect(retryAfterMs(h('120'), now)).toBe(120_000);
    expect(retryAfterMs(h('Sat, 05 Dec 2026 08:00:30 GMT'), now)).toBe(30_000);
    expect(retryAfterMs(h('Sat, 05 Dec 2026 07:00:00 GMT'), now)).toBe(0);
    expect(retryAfterMs(h('soon'), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
