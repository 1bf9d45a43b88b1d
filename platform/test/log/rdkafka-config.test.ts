import { describe, expect, it } from 'vitest';
import { LogRejectedError } from '../../src/errors.js';
import { baseConfig } from '../../src/log/rdkafka/client.js';

/** KafkaLogOptions in librdkafka's settings: what maps, and what is refused rather than lost. */

const options = { brokers: ['a:9093', 'b:9093'], clientId: 'gw', replicationFactor: 3 };
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('baseConfig', () => {
  it('should connect in plaintext with no TLS nor SASL', () => {
    expect(baseConfig(options)).toMatchObject({
      'bootstrap.servers': 'a:9093,b:9093',
      'client.id': 'gw',
      'security.protocol': 'plaintext',
    });
  });

  it('should give librdkafka the PEM contents and the verification asked for', () => {
    const full = baseConfig({
      ...options,
      tls: { ca: Buffer.from(CA), cert: 'CERT', key: Buffer.from('KEY'), rejectUnauthorized: true },
      tlsServerName: true,
    });
    expect(full).toMatchObject({
      'security.protocol': 'ssl',
      'ssl.ca.pem': CA,
      'ssl.certificate.pem': 'CERT',
      'ssl.key.pem': 'KEY',
      'enable.ssl.certificate.verification': true,
      'ssl.endpoint.identification.algorithm': 'https',
    });
    // KAFKA_TLS_VERIFY=ca: the chain is checked, the host name not.
    const ca = baseConfig({
      ...options,
      tls: { ca: CA, rejectUnauthorized: true, checkServerIdentity: () => undefined },
    });
    expect(ca).toMatchObject({
      'enable.ssl.certificate.verification': true,
      'ssl.endpoint.identification.algorithm': 'none',
    });
    const none = baseConfig({ ...options, tls: { rejectUnauthorized: false } });
    expect(none).toMatchObject({ 'enable.ssl.certificate.verification': false });
  });

  it('should authenticate with SASL, over TLS or not', () => {
    const sasl = { mechanism: 'SCRAM-SHA-512' as const, username: 'u', password: 'p' };
    expect(baseConfig({ ...options, sasl })).toMatchObject({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'u',
      'sasl.password': 'p',
    });
    expect(baseConfig({ ...options, sasl, tls: {} })).toMatchObject({
      'security.protocol': 'sasl_ssl',
    });
  });

  it('should refuse a TLS server name override, which librdkafka cannot send', () => {
    const config = () => baseConfig({ ...options, tls: { servername: 'kafka.internal' } });
    expect(config).toThrow(LogRejectedError);
    expect(config).toThrow(/KAFKA_TLS_SERVERNAME/);
  });

  it('should refuse a TLS option it has no librdkafka setting for', () => {
    expect(() => baseConfig({ ...options, tls: { minVersion: 'TLSv1.3' } })).toThrow(
      /TLS option\(s\) minVersion/,
    );
  });
});
