import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestPki } from '../../test-support/tls.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { cassandraSecurity, kafkaSecurity } from '../src/links.js';

/** The links' security settings: checked together at start-up, turned into driver options. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pki = makeTestPki(dir);
const client = pki.client('fleetline');
const other = makeTestPki(mkdtempSync(join(dir, 'other-')));

const problems = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    loadConfig({ env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('link settings', () => {
  it('should refuse TLS files for a link without TLS, and SASL credentials without SASL', () => {
    expect(problems({ KAFKA_TLS_CA_FILE: pki.caFile })).toEqual([
      'KAFKA_TLS_CA_FILE is set, but KAFKA_SECURITY_PROTOCOL=PLAINTEXT uses no TLS: set KAFKA_SECURITY_PROTOCOL=SSL (or SASL_SSL), or unset KAFKA_TLS_CA_FILE',
    ]);
    expect(problems({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_USERNAME: 'fleet' })).toEqual([
      'KAFKA_SASL_USERNAME is set, but KAFKA_SECURITY_PROTOCOL=SSL does not authenticate with SASL: set KAFKA_SECURITY_PROTOCOL=SASL_SSL, or unset KAFKA_SASL_USERNAME',
    ]);
    expect(problems({ CASSANDRA_TLS_VERIFY: 'ca' })).toEqual([
      'CASSANDRA_TLS_VERIFY is set, but CASSANDRA_TLS is false: set CASSANDRA_TLS=true, or unset CASSANDRA_TLS_VERIFY',
    ]);
  });

  it('should want both halves of a pair, and SASL credentials for SASL', () => {
    expect(
      problems({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_TLS_CERT_FILE: client.certFile,
        KAFKA_SASL_USERNAME: 'fleet',
        CASSANDRA_TLS: 'true',
        CASSANDRA_TLS_KEY_FILE: client.keyFile,
        CASSANDRA_PASSWORD: 'pw',
      }),
    ).toEqual([
      'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: set both or neither',
      'KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_PASSWORD',
      'CASSANDRA_TLS_CERT_FILE and CASSANDRA_TLS_KEY_FILE go together: set both or neither',
      'CASSANDRA_USERNAME and CASSANDRA_PASSWORD go together: set both or neither',
    ]);
  });

  it('should never show a secret, also not in a message about it', () => {
    const secret = 'hunter2-very-secret';
    const got = problems({ KAFKA_SASL_PASSWORD: secret, CASSANDRA_TLS: 'yes' });
    expect(got).toHaveLength(1); // CASSANDRA_TLS; the link check waits for valid values
    expect(got[0]).toMatch(/^CASSANDRA_TLS="yes": /);
    expect(problems({ KAFKA_SASL_PASSWORD: secret }).join('\n')).not.toContain(secret);
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ cassandraPassword: 12345 }));
    expect(problems({ FLEETLINE_CONFIG: file }).join('\n')).not.toContain('12345');
  });

  it('should turn Kafka’s settings into TLS and SASL options, reading the PEM files', () => {
    const sec = kafkaSecurity(
      loadConfig({
        env: {
          KAFKA_BROKERS: 'kafka-1.example.org:9093,kafka-2.example.org:9093',
          KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
          KAFKA_TLS_CA_FILE: pki.caFile,
          KAFKA_TLS_CERT_FILE: client.certFile,
          KAFKA_TLS_KEY_FILE: client.keyFile,
          KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
          KAFKA_SASL_USERNAME: 'fleet',
          KAFKA_SASL_PASSWORD: 'pw',
        },
      }),
    );
    expect(sec.sasl).toEqual({ mechanism: 'SCRAM-SHA-256', username: 'fleet', password: 'pw' });
    expect(sec.tls?.ca).toEqual(pki.ca);
    expect(sec.tls?.cert).toEqual(client.cert);
    expect(sec.tls?.key).toEqual(client.key);
    expect(sec.tls?.rejectUnauthorized).toBe(true);
    expect(sec.tls?.checkServerIdentity).toBeUndefined();
    expect(sec.tlsServerName).toBe(true); // brokers known by name: SNI
    const byAddress = kafkaSecurity(
      loadConfig({
        env: {
          KAFKA_BROKERS: '10.0.0.7:9093',
          KAFKA_SECURITY_PROTOCOL: 'SSL',
          KAFKA_TLS_VERIFY: 'ca',
        },
      }),
    );
    expect(byAddress.tlsServerName).toBe(false);
    expect(byAddress.sasl).toBeUndefined();
    expect(byAddress.tls?.checkServerIdentity?.('x', {} as never)).toBeUndefined();
    expect(kafkaSecurity(loadConfig({ env: { KAFKA_BROKERS: 'k:9092' } }))).toEqual({});
  });

  it('should turn Cassandra’s settings into TLS options and credentials', () => {
    const sec = cassandraSecurity(
      loadConfig({
        env: {
          CASSANDRA_TLS: 'true',
          CASSANDRA_TLS_CA_FILE: pki.caFile,
          CASSANDRA_TLS_VERIFY: 'none',
          CASSANDRA_USERNAME: 'fleetline',
          CASSANDRA_PASSWORD: 'pw',
        },
      }),
    );
    expect(sec.tls?.ca).toEqual(pki.ca);
    expect(sec.tls?.rejectUnauthorized).toBe(false);
    expect(sec.credentials).toEqual({ username: 'fleetline', password: 'pw' });
    // The driver's own default would not check certificates at all: full checking is said.
    const full = cassandraSecurity(loadConfig({ env: { CASSANDRA_TLS: 'true' } }));
    expect(full).toEqual({ tls: { rejectUnauthorized: true } });
    expect(cassandraSecurity(loadConfig({ env: {} }))).toEqual({});
  });

  it('should stop on a PEM file that is missing, holds no certificate, or a key of another certificate', () => {
    const env = (over: NodeJS.ProcessEnv) =>
      loadConfig({ env: { KAFKA_BROKERS: 'k:9093', KAFKA_SECURITY_PROTOCOL: 'SSL', ...over } });
    const missing = join(dir, 'nope.pem');
    expect(() => kafkaSecurity(env({ KAFKA_TLS_CA_FILE: missing }))).toThrow(
      `KAFKA_TLS_CA_FILE=${missing} cannot be read (ENOENT)`,
    );
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(() => kafkaSecurity(env({ KAFKA_TLS_CA_FILE: garbage }))).toThrow(
      `KAFKA_TLS_CA_FILE=${garbage} holds no PEM certificate`,
    );
    expect(() =>
      kafkaSecurity(env({ KAFKA_TLS_CERT_FILE: client.certFile, KAFKA_TLS_KEY_FILE: garbage })),
    ).toThrow(`KAFKA_TLS_KEY_FILE=${garbage} holds no unencrypted PEM private key`);
    const wrongKey = join(dir, 'other.key');
    writeFileSync(wrongKey, other.serverKey);
    const err = (() => {
      try {
        kafkaSecurity(env({ KAFKA_TLS_CERT_FILE: client.certFile, KAFKA_TLS_KEY_FILE: wrongKey }));
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toMatch(
      `KAFKA_TLS_KEY_FILE=${wrongKey} is not the key of KAFKA_TLS_CERT_FILE=${client.certFile}`,
    );
  });
});
