import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '../../../test-support/infra.js';
import {
  brokerAvailability,
  startTlsBroker,
  type TestBroker,
} from '../../../test-support/kafka-broker.js';
import { makeTestPki, type TestPki } from '../../../test-support/tls.js';
import { loadConfig } from '../../src/config.js';
import { LogRejectedError } from '../../src/errors.js';
import { openLog } from '../../src/log/index.js';
import type { Log, LogRecord } from '../../src/log/port.js';

/**
 * The Kafka link in production: TLS (with and without client certificates) and SASL, through
 * the settings, against a broker of the test's own with those listeners.
 */

const own = brokerAvailability();
const dir = mkdtempSync(join(tmpdir(), 'fleetline-kafka-tls-'));
const user = { name: 'fleetline', password: 'a-long-sasl-secret' };
let pki: TestPki;
let broker: TestBroker | undefined;
const logs: Log[] = [];

beforeAll(async () => {
  if (!own.available) return;
  pki = makeTestPki(dir);
  broker = await startTlsBroker(join(dir, 'broker'), pki, [user]);
}, 300_000);
afterAll(async () => {
  await Promise.all(logs.map((l) => l.close()));
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** A Log as the services open it, from settings in the environment. */
function logFrom(env: NodeJS.ProcessEnv): Log {
  const log = openLog(loadConfig({ env: { KAFKA_CLIENT_ID: 'tls-test', ...env } }));
  logs.push(log);
  return log;
}

/** Creates a topic, produces a record and reads it back in a new group. */
async function roundTrip(log: Log): Promise<void> {
  const topic = uniqueName('tls');
  await log.ensureTopics([{ name: topic, partitions: 1 }]);
  const producer = await log.createProducer();
  await producer.send([{ topic, key: 'veh-1', value: new TextEncoder().encode('over tls') }]);
  await producer.close();
  const got: LogRecord[] = [];
  const consumer = await log.consume({
    groupId: uniqueName('tls-group'),
    topics: [topic],
    handle: async (records) => {
      got.push(...records);
    },
  });
  try {
    await eventually(() => got.length === 1, 'the record to come back', 60_000);
    expect(new TextDecoder().decode(got[0]?.value)).toBe('over tls');
  } finally {
    await consumer.close();
  }
}

async function refusal(log: Log): Promise<LogRejectedError> {
  const err = await log.ensureTopics([{ name: uniqueName('refused'), partitions: 1 }]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LogRejectedError);
  expect(err).toMatchObject({ code: 'LOG_REJECTED', retryable: false });
  return err as LogRejectedError;
}

describe.skipIf(own.reason)('Kafka over TLS and SASL', () => {
  it('should produce and consume over TLS with the CA that signed the broker', async () => {
    await roundTrip(
      logFrom({
        KAFKA_BROKERS: broker!.ssl,
        KAFKA_SECURITY_PROTOCOL: 'SSL',
        KAFKA_TLS_CA_FILE: pki.caFile,
      }),
    );
  }, 120_000);

  it('should refuse a broker whose certificate is not trusted, for good, naming the CA setting', async () => {
    const err = await refusal(
      logFrom({ KAFKA_BROKERS: broker!.ssl, KAFKA_SECURITY_PROTOCOL: 'SSL' }),
    );
    expect(err.message).toMatch(
      /^cannot create Kafka topics: TLS: the Kafka broker's certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)[^)]*\); set KAFKA_TLS_CA_FILE/,
    );
  }, 120_000);

  it('should refuse TLS to a listener without it, saying so', async () => {
    const err = await refusal(
      logFrom({
        KAFKA_BROKERS: broker!.plaintext,
        KAFKA_SECURITY_PROTOCOL: 'SSL',
        KAFKA_TLS_CA_FILE: pki.caFile,
      }),
    );
    expect(err.message).toMatch(/TLS handshake failed/);
  }, 120_000);

  it('should present the client certificate to a broker that requires one', async () => {
    const client = pki.client('fleetline-client');
    await roundTrip(
      logFrom({
        KAFKA_BROKERS: broker!.mtls,
        KAFKA_SECURITY_PROTOCOL: 'SSL',
        KAFKA_TLS_CA_FILE: pki.caFile,
        KAFKA_TLS_CERT_FILE: client.certFile,
        KAFKA_TLS_KEY_FILE: client.keyFile,
      }),
    );
  }, 120_000);

  it.each(['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'])(
    'should authenticate with SASL %s over TLS',
    async (mechanism) => {
      await roundTrip(
        logFrom({
          KAFKA_BROKERS: broker!.saslSsl,
          KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
          KAFKA_TLS_CA_FILE: pki.caFile,
          KAFKA_SASL_MECHANISM: mechanism,
          KAFKA_SASL_USERNAME: user.name,
          KAFKA_SASL_PASSWORD: user.password,
        }),
      );
    },
    120_000,
  );

  it('should refuse a wrong SASL password for good, naming the settings and not the password', async () => {
    const wrong = 'not-the-password-at-all';
    const err = await refusal(
      logFrom({
        KAFKA_BROKERS: broker!.saslSsl,
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_TLS_CA_FILE: pki.caFile,
        KAFKA_SASL_USERNAME: user.name,
        KAFKA_SASL_PASSWORD: wrong,
      }),
    );
    expect(err.message).toMatch(
      /Kafka refused the SASL authentication \(SASL_AUTHENTICATION_FAILED: .*\); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
    expect(err.message).not.toContain(wrong);
  }, 120_000);
});
