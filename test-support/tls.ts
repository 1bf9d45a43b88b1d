import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throwaway PKI for TLS tests, made with the openssl command line: a CA, a server
 * certificate for 127.0.0.1/localhost, and optionally client certificates whose CN is a
 * device id (for mutual TLS).
 */
export interface TestPki {
  caFile: string;
  ca: Buffer;
  serverKey: Buffer;
  serverCert: Buffer;
  client(cn: string): { keyFile: string; certFile: string; key: Buffer; cert: Buffer };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

export function makeTestPki(dir: string): TestPki {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Fleetline Test CA',
    ],
    dir,
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  const read = (f: string) => readFileSync(join(dir, f));
  return {
    caFile: join(dir, 'ca.pem'),
    ca: read('ca.pem'),
    serverKey: read('server.key'),
    serverCert: read('server.pem'),
    client(cn) {
      writeFileSync(join(dir, `${cn}.ext`), 'extendedKeyUsage=clientAuth\n');
      openssl(
        [
          'req',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          `${cn}.key`,
          '-out',
          `${cn}.csr`,
          '-subj',
          `/CN=${cn}`,
        ],
        dir,
      );
      openssl(
        [
          'x509',
          '-req',
          '-in',
          `${cn}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          `${cn}.pem`,
          '-days',
          '2',
          '-extfile',
          `${cn}.ext`,
        ],
        dir,
      );
      return {
        keyFile: join(dir, `${cn}.key`),
        certFile: join(dir, `${cn}.pem`),
        key: read(`${cn}.key`),
        cert: read(`${cn}.pem`),
      };
    },
  };
}
