import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectionOptions, connect, createServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../../../test-support/tls.js';
import { causes, tlsFailure } from '../../src/failures/failure.js';

/** TLS failures as Node reports them, made with real handshakes on loopback. */

const settings = {
  enable: 'X_TLS',
  caFile: 'X_TLS_CA_FILE',
  certFiles: 'X_TLS_CERT_FILE and X_TLS_KEY_FILE',
  verify: 'X_TLS_VERIFY',
};

const dir = mkdtempSync(join(tmpdir(), 'fleetline-tls-failures-'));
let pki: TestPki;
const servers: Server[] = [];
let tlsPort = 0;
let mutualPort = 0;
let plainPort = 0;

const sockets = new Set<Socket>();
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  pki = makeTestPki(dir);
  const hello = (socket: { end(data: string): void }) => socket.end('hello');
  tlsPort = await listen(createServer({ key: pki.serverKey, cert: pki.serverCert }, hello));
  mutualPort = await listen(
    createServer(
      {
        key: pki.serverKey,
        cert: pki.serverCert,
        ca: pki.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
      hello,
    ),
  );
  plainPort = await listen(createTcpServer((socket) => socket.end('HTTP/1.0 400 no\r\n\r\n')));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

/** The error a TLS client meets (during the handshake or on its first read), or undefined. */
function tlsError(port: number, options: ConnectionOptions): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ...options });
    const done = (err?: Error) => {
      socket.destroy();
      resolve(err);
    };
    socket.on('error', done);
    socket.on('data', () => {});
    socket.on('end', () => done());
  });
}

describe('tlsFailure', () => {
  it('should name the CA setting when the server’s certificate is not trusted', async () => {
    const err = await tlsError(tlsPort, {});
    const f = tlsFailure(new Error('wrapped', { cause: err }), 'the server', settings);
    expect(f?.retryable).toBe(false);
    expect(f?.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
    expect(f?.reason).toMatch(
      /^TLS: the server's certificate is not trusted \(.+\); set X_TLS_CA_FILE/,
    );
    expect(await tlsError(tlsPort, { ca: pki.ca })).toBeUndefined();
  });

  it('should say when the certificate is for another name', async () => {
    const err = await tlsError(tlsPort, { ca: pki.ca, servername: 'kafka.example.org' });
    const f = tlsFailure(err, 'the server', settings);
    expect(f).toMatchObject({ retryable: false, code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(f?.reason).toMatch(/not for the address connected to .*X_TLS_VERIFY=ca/);
  });

  it('should say when the port does not speak TLS', async () => {
    const f = tlsFailure(await tlsError(plainPort, { ca: pki.ca }), 'the server', settings);
    expect(f).toMatchObject({ retryable: false, code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(f?.reason).toMatch(/does not speak TLS on that port .*X_TLS/);
  });

  it('should name the client certificate settings when the server wants one', async () => {
    const err = await tlsError(mutualPort, { ca: pki.ca });
    const f = tlsFailure(err, 'the server', settings);
    expect(f?.retryable).toBe(false);
    expect(f?.reason).toMatch(/refused this client's certificate, or wants one .*X_TLS_CERT_FILE/);
    const client = pki.client('fleetline');
    expect(
      await tlsError(mutualPort, { ca: pki.ca, key: client.key, cert: client.cert }),
    ).toBeUndefined();
  });

  it('should leave failures that are not about TLS alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(tlsFailure(refused, 'the server', settings)).toBeUndefined();
  });
});

describe('causes', () => {
  it('should walk causes, aggregated errors and per-host errors once each', () => {
    const leaf = new Error('leaf');
    const agg = new AggregateError([leaf, new Error('other')], 'many', { cause: leaf });
    const top = Object.assign(new Error('top', { cause: agg }), { innerErrors: { h: leaf } });
    expect([...causes(top)].map((e) => e.message)).toEqual(['top', 'many', 'leaf', 'other']);
  });
});
