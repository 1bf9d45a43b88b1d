import { createRequire } from 'node:module';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { LogRejectedError } from '../../errors.js';
import { classifyRdKafkaFailure, rdkafkaLogError } from '../../failures/rdkafka.js';
import type { KafkaLogOptions } from '../kafka/connection.js';
import { serveEvents, withCode } from './event-errors.js';
import type {
  Config,
  KafkaConsumer,
  LibrdKafkaError,
  Metadata,
  Producer,
  RdKafkaModule,
} from './types.js';

/** The exact install of the native client, as the error for its absence names it. */
export const RDKAFKA_INSTALL = 'npm install --no-save node-rdkafka@3.6.1';

// Loaded on first use, so processes on another Kafka client neither carry nor need it.
let loaded: RdKafkaModule | undefined;

/** node-rdkafka, or LogRejectedError naming the install when it is absent or did not build. */
export function rdKafka(): RdKafkaModule {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)('node-rdkafka') as RdKafkaModule;
    return loaded;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why =
      code === 'MODULE_NOT_FOUND'
        ? 'node-rdkafka is not installed'
        : `node-rdkafka is installed but does not load (${(err as Error).message})`;
    throw new LogRejectedError(
      `KAFKA_CLIENT=rdkafka, but ${why}: it is not a dependency of the package, as it compiles librdkafka at install; install it with \`${RDKAFKA_INSTALL}\` (needs a C/C++ toolchain, and the OpenSSL, SASL, zlib, zstd and lz4 headers for TLS, SASL and compression), or set KAFKA_CLIENT=platformatic or kafkajs, which need nothing`,
      { cause: err },
    );
  }
}

/**
 * What every client of the adapter (admin, producer, consumer) is configured with: brokers,
 * client id, security, and librdkafka's own logging off (failures reach callers as errors).
 * What KafkaLogOptions holds that librdkafka cannot do is refused here, not ignored.
 */
export function baseConfig(options: KafkaLogOptions): Config {
  const { tls, sasl } = options;
  const protocol = tls ? (sasl ? 'sasl_ssl' : 'ssl') : sasl ? 'sasl_plaintext' : 'plaintext';
  return {
    'bootstrap.servers': options.brokers.join(','),
    'client.id': options.clientId,
    'security.protocol': protocol,
    log_level: 0,
    // Reconnect quickly through a broker restart, as the other clients retry.
    'reconnect.backoff.ms': 100,
    'reconnect.backoff.max.ms': 2_000,
    ...(tls ? tlsConfig(tls) : {}),
    ...(sasl
      ? {
          'sasl.mechanisms': sasl.mechanism,
          'sasl.username': sasl.username,
          'sasl.password': sasl.password,
        }
      : {}),
  };
}

/** Node TLS options librdkafka has a setting for; any other is refused (tlsConfig). */
const MAPPED_TLS = new Set(['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized']);

/**
 * Node's TLS options in librdkafka's terms: PEM contents for the CA, certificate and key,
 * certificate verification, and host name verification (off when the options skip the
 * identity check, as KAFKA_TLS_VERIFY=ca does). librdkafka sends each broker's host as SNI
 * when it is a name and has no setting for another server name, so a `servername` override
 * is refused, as is any option it has no setting for.
 */
function tlsConfig(tls: TlsOptions): Config {
  if (tls.servername !== undefined) {
    throw new LogRejectedError(
      'KAFKA_CLIENT=rdkafka cannot send a TLS server name other than the broker’s host (librdkafka has no setting for it): unset KAFKA_TLS_SERVERNAME and connect by a name the certificate holds, or set KAFKA_CLIENT=platformatic or kafkajs',
    );
  }
  const unmapped = Object.entries(tls)
    .filter(([k, v]) => v !== undefined && !MAPPED_TLS.has(k) && k !== 'checkServerIdentity')
    .map(([k]) => k);
  if (unmapped.length > 0) {
    throw new LogRejectedError(
      `KAFKA_CLIENT=rdkafka has no librdkafka setting for the TLS option(s) ${unmapped.join(', ')}: use KAFKA_CLIENT=platformatic or kafkajs`,
    );
  }
  const ca = pem(tls.ca);
  const cert = pem(tls.cert);
  const key = pem(tls.key);
  return {
    ...(ca ? { 'ssl.ca.pem': ca } : {}),
    ...(cert ? { 'ssl.certificate.pem': cert } : {}),
    ...(key ? { 'ssl.key.pem': key } : {}),
    ...(typeof tls.passphrase === 'string' ? { 'ssl.key.password': tls.passphrase } : {}),
    'enable.ssl.certificate.verification': tls.rejectUnauthorized !== false,
    'ssl.endpoint.identification.algorithm':
      tls.rejectUnauthorized === false || tls.checkServerIdentity ? 'none' : 'https',
  };
}

/** PEM text of Node's forms of it: a string, a Buffer, or several (joined). */
function pem(value: TlsOptions['ca'] | TlsOptions['key']): string | undefined {
  if (value === undefined) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  const text = parts.map((p) => {
    if (typeof p === 'string') return p;
    if (Buffer.isBuffer(p)) return p.toString('utf8');
    throw new LogRejectedError(
      'KAFKA_CLIENT=rdkafka takes TLS keys as PEM text only (librdkafka has no per-key passphrase)',
    );
  });
  return text.join('\n');
}

/** How long connecting (a metadata request) may take before it fails. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Connects a producer or consumer; a failure is classified. librdkafka reports refused
 * authentication or TLS as error events while it retries, and the connection then fails as a
 * transport failure: the lasting failure it reported meanwhile is the one given.
 */
export function connect(
  kafka: RdKafkaModule,
  client: Producer | KafkaConsumer,
  what: string,
): Promise<void> {
  let lasting: LibrdKafkaError | undefined;
  const onError = (event: LibrdKafkaError) => {
    const err = withCode(kafka, event);
    if (!classifyRdKafkaFailure(err).retryable) lasting ??= err;
  };
  client.on('event.error', onError);
  const stopServing = serveEvents(client);
  return new Promise<void>((resolve, reject) => {
    client.connect({ timeout: CONNECT_TIMEOUT_MS }, (err) =>
      err ? reject(rdkafkaLogError(lasting ?? err, what)) : resolve(),
    );
  }).finally(() => {
    stopServing();
    client.removeListener('event.error', onError);
  });
}

/**
 * Disconnects, if connected; never fails (the client goes either way). A producer flushes
 * first, for at most `flushMs`.
 */
export function disconnect(client: Producer | KafkaConsumer, flushMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (!client.isConnected()) return resolve();
    if (isProducer(client)) client.disconnect(flushMs, () => resolve());
    else client.disconnect(() => resolve());
  });
}

const isProducer = (client: Producer | KafkaConsumer): client is Producer => 'produce' in client;

/** The cluster's metadata for one topic, or every topic. */
export function metadata(
  client: Producer | KafkaConsumer,
  topic: string | undefined,
  timeoutMs = 5_000,
): Promise<Metadata> {
  return new Promise((resolve, reject) =>
    client.getMetadata(
      topic === undefined ? { allTopics: true, timeout: timeoutMs } : { topic, timeout: timeoutMs },
      (err, data) => (err ? reject(err) : resolve(data)),
    ),
  );
}
