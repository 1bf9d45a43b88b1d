import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type ConnectionOptions, createSecureContext } from 'node:tls';
import type { Config } from './config.js';
import { ConfigError } from './errors.js';

/**
 * The links to Kafka and Cassandra: their security settings checked as a whole at start-up,
 * and turned into the drivers' options — TLS from PEM files, SASL for Kafka, password
 * authentication for Cassandra. A file that cannot be read, or does not hold what it should,
 * stops the start with the setting's name; secrets never appear in a message.
 */

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface KafkaSecurity {
  /** TLS to the brokers (Node's TLS client options); absent: plaintext. */
  readonly tls?: ConnectionOptions;
  /** Send each broker's host as the TLS server name (SNI). */
  readonly tlsServerName?: boolean;
  readonly sasl?: {
    readonly mechanism: SaslMechanism;
    readonly username: string;
    readonly password: string;
  };
}

export interface CassandraSecurity {
  /** TLS to the nodes; absent: plaintext. */
  readonly tls?: ConnectionOptions;
  /** Credentials for the nodes' PasswordAuthenticator. */
  readonly credentials?: { readonly username: string; readonly password: string };
}

const kafkaTlsOn = (c: Config) =>
  c.kafkaSecurityProtocol === 'SSL' || c.kafkaSecurityProtocol === 'SASL_SSL';
const kafkaSaslOn = (c: Config) => c.kafkaSecurityProtocol.startsWith('SASL_');

/** What is wrong with the links' settings taken together (each one is valid alone). */
export function linkProblems(c: Config): string[] {
  const problems: string[] = [];
  const protocol = `KAFKA_SECURITY_PROTOCOL=${c.kafkaSecurityProtocol}`;
  if (!kafkaTlsOn(c)) {
    const tlsSet = [
      ['KAFKA_TLS_CA_FILE', c.kafkaTlsCaFile !== ''],
      ['KAFKA_TLS_CERT_FILE', c.kafkaTlsCertFile !== ''],
      ['KAFKA_TLS_KEY_FILE', c.kafkaTlsKeyFile !== ''],
      ['KAFKA_TLS_SERVERNAME', c.kafkaTlsServername !== ''],
      ['KAFKA_TLS_VERIFY', c.kafkaTlsVerify !== 'full'],
    ] as const;
    for (const [name, set] of tlsSet) {
      if (set) {
        problems.push(
          `${name} is set, but ${protocol} uses no TLS: set KAFKA_SECURITY_PROTOCOL=SSL (or SASL_SSL), or unset ${name}`,
        );
      }
    }
  }
  if ((c.kafkaTlsCertFile === '') !== (c.kafkaTlsKeyFile === '')) {
    problems.push('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: set both or neither');
  }
  if (kafkaSaslOn(c)) {
    for (const [name, value] of [
      ['KAFKA_SASL_USERNAME', c.kafkaSaslUsername],
      ['KAFKA_SASL_PASSWORD', c.kafkaSaslPassword],
    ] as const) {
      if (value === '') problems.push(`${protocol} needs ${name}`);
    }
  } else {
    for (const [name, value] of [
      ['KAFKA_SASL_USERNAME', c.kafkaSaslUsername],
      ['KAFKA_SASL_PASSWORD', c.kafkaSaslPassword],
    ] as const) {
      if (value !== '') {
        problems.push(
          `${name} is set, but ${protocol} does not authenticate with SASL: set KAFKA_SECURITY_PROTOCOL=SASL_SSL, or unset ${name}`,
        );
      }
    }
  }
  if (!c.cassandraTls) {
    const tlsSet = [
      ['CASSANDRA_TLS_CA_FILE', c.cassandraTlsCaFile !== ''],
      ['CASSANDRA_TLS_CERT_FILE', c.cassandraTlsCertFile !== ''],
      ['CASSANDRA_TLS_KEY_FILE', c.cassandraTlsKeyFile !== ''],
      ['CASSANDRA_TLS_VERIFY', c.cassandraTlsVerify !== 'full'],
    ] as const;
    for (const [name, set] of tlsSet) {
      if (set) {
        problems.push(
          `${name} is set, but CASSANDRA_TLS is false: set CASSANDRA_TLS=true, or unset ${name}`,
        );
      }
    }
  }
  if ((c.cassandraTlsCertFile === '') !== (c.cassandraTlsKeyFile === '')) {
    problems.push(
      'CASSANDRA_TLS_CERT_FILE and CASSANDRA_TLS_KEY_FILE go together: set both or neither',
    );
  }
  if ((c.cassandraUsername === '') !== (c.cassandraPassword === '')) {
    problems.push('CASSANDRA_USERNAME and CASSANDRA_PASSWORD go together: set both or neither');
  }
  return problems;
}

/** The Kafka client's security options from the settings. */
export function kafkaSecurity(c: Config): KafkaSecurity {
  const sasl = kafkaSaslOn(c)
    ? {
        sasl: {
          mechanism: c.kafkaSaslMechanism,
          username: c.kafkaSaslUsername,
          password: c.kafkaSaslPassword,
        },
      }
    : {};
  if (!kafkaTlsOn(c)) return sasl;
  const tls = tlsOptions(c.kafkaTlsVerify, {
    ca: ['KAFKA_TLS_CA_FILE', c.kafkaTlsCaFile],
    cert: ['KAFKA_TLS_CERT_FILE', c.kafkaTlsCertFile],
    key: ['KAFKA_TLS_KEY_FILE', c.kafkaTlsKeyFile],
  });
  if (c.kafkaTlsServername !== '') {
    return { ...sasl, tls: { ...tls, servername: c.kafkaTlsServername } };
  }
  // SNI carries names only (RFC 6066 §3): brokers known by address are not sent one.
  const named = c.kafkaBrokers.every((b) => isIP(hostOf(b)) === 0);
  return { ...sasl, tls, tlsServerName: named };
}

/** The Cassandra driver's security options from the settings. */
export function cassandraSecurity(c: Config): CassandraSecurity {
  return {
    ...(c.cassandraTls
      ? {
          tls: tlsOptions(c.cassandraTlsVerify, {
            ca: ['CASSANDRA_TLS_CA_FILE', c.cassandraTlsCaFile],
            cert: ['CASSANDRA_TLS_CERT_FILE', c.cassandraTlsCertFile],
            key: ['CASSANDRA_TLS_KEY_FILE', c.cassandraTlsKeyFile],
          }),
        }
      : {}),
    ...(c.cassandraUsername !== ''
      ? { credentials: { username: c.cassandraUsername, password: c.cassandraPassword } }
      : {}),
  };
}

type FileSetting = readonly [env: string, path: string];

function tlsOptions(
  verify: Config['kafkaTlsVerify'],
  files: { ca: FileSetting; cert: FileSetting; key: FileSetting },
): ConnectionOptions {
  const ca = files.ca[1] ? certificates(files.ca) : undefined;
  const cert = files.cert[1] ? certificates(files.cert) : undefined;
  const key = files.key[1] ? privateKey(files.key) : undefined;
  if (cert && key) {
    try {
      createSecureContext({ cert, key });
    } catch (err) {
      throw bad(
        `${files.key[0]}=${files.key[1]} is not the key of ${files.cert[0]}=${files.cert[1]} (${(err as Error).message})`,
      );
    }
  }
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    // Cassandra's driver turns verification off unless told (rejectUnauthorized: false).
    rejectUnauthorized: verify !== 'none',
    ...(verify === 'ca' ? { checkServerIdentity: () => undefined } : {}),
  };
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A PEM file of one or more certificates, each parsed (Node ignores what is not one). */
function certificates([env, path]: FileSetting): Buffer {
  const pem = read(env, path);
  const blocks = pem.toString('utf8').match(CERTIFICATE) ?? [];
  if (blocks.length === 0) throw bad(`${env}=${path} holds no PEM certificate`);
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw bad(`${env}=${path}: certificate ${i + 1} is not valid (${(err as Error).message})`);
    }
  }
  return pem;
}

function privateKey([env, path]: FileSetting): Buffer {
  const pem = read(env, path);
  try {
    createPrivateKey(pem);
  } catch (err) {
    throw bad(`${env}=${path} holds no unencrypted PEM private key (${(err as Error).message})`);
  }
  return pem;
}

function read(env: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw bad(
      `${env}=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

const bad = (problem: string) => new ConfigError(`invalid configuration:\n  ${problem}`, [problem]);

/** The host of "host:port", "[v6]:port" or "host". */
function hostOf(broker: string): string {
  if (broker.startsWith('[')) return broker.slice(1, broker.indexOf(']'));
  const colon = broker.lastIndexOf(':');
  return colon > 0 && broker.indexOf(':') === colon ? broker.slice(0, colon) : broker;
}
