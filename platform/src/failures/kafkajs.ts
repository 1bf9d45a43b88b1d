import {
  causes,
  clientLogError,
  codeOf,
  type DriverFailure,
  decisiveFailure,
  type ErrorLike,
  isTransientSystemError,
  tlsFailure,
} from './failure.js';
import { KAFKA_TLS, LOST_OWNERSHIP } from './kafka.js';

/**
 * KafkaJS's failures, by its error classes (their names: the classes are not loaded unless
 * KafkaJS is the configured client) and the Kafka protocol's error types with KafkaJS's
 * `retriable` flag, which follows Kafka's own table.
 */

type KafkaJsError = ErrorLike & { name: string; type?: unknown; retriable?: unknown };

/** Classes whose failure is the cluster being away or slow, which passes. */
const TRANSIENT = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

/** The Kafka protocol error types (e.g. TOPIC_ALREADY_EXISTS) among the failure's causes. */
export function kafkaJsErrorTypes(err: unknown): Set<string> {
  const types = new Set<string>();
  for (const e of causes(err)) {
    const type = (e as KafkaJsError).type;
    if (typeof type === 'string') types.add(type);
  }
  return types;
}

function classifyOne(e: KafkaJsError): DriverFailure | undefined {
  if (e.name === 'KafkaJSSASLAuthenticationError') {
    return {
      retryable: false,
      code: e.name,
      reason: `Kafka refused the SASL authentication (${e.message}); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
    };
  }
  if (typeof e.type === 'string') {
    const authorization = e.type.endsWith('_AUTHORIZATION_FAILED');
    return {
      retryable: e.retriable === true,
      code: e.type,
      reason: authorization
        ? `Kafka refused (${e.type}: ${e.message}); grant the principal of KAFKA_SASL_USERNAME (or of the client certificate) the ACL`
        : `${e.type}: ${e.message}`,
    };
  }
  // Node's words when the other end closed before a TLS handshake completed: KafkaJS passes
  // them on in its connection error; a listener without TLS does that every time.
  if (e.name === 'KafkaJSConnectionError' && /before secure TLS connection/.test(e.message)) {
    return {
      retryable: false,
      code: codeOf(e) ?? e.name,
      reason: `TLS handshake failed (${e.message}); use the brokers' TLS listener, or KAFKA_SECURITY_PROTOCOL without TLS`,
    };
  }
  if (TRANSIENT.has(e.name) || isTransientSystemError(e)) {
    return { retryable: true, code: codeOf(e) ?? e.name, reason: e.message };
  }
  return undefined;
}

/**
 * What a KafkaJS failure means. KafkaJS wraps the last attempt of an operation it retried
 * (KafkaJSNumberOfRetriesExceeded, marked not retriable): what decides is the attempt's own
 * failure — the cluster away passes, refused authentication or TLS, a non-retriable protocol
 * error or a usage error do not.
 */
export function classifyKafkaJsFailure(err: unknown): DriverFailure {
  const tls = tlsFailure(err, 'the Kafka broker', KAFKA_TLS);
  if (tls) return tls;
  const decided = decisiveFailure(err, (e) => classifyOne(e as KafkaJsError));
  if (decided) return decided;
  const e = err as KafkaJsError;
  return { retryable: false, reason: e?.message ?? String(err) };
}

/** The Log's error for a KafkaJS failure (see kafkaLogError). */
export function kafkaJsLogError(err: unknown, what: string): Error {
  return clientLogError(err, what, classifyKafkaJsFailure);
}

/** A commit refused because the partition moved away (see isLostOwnership). */
export function isLostOwnershipKafkaJs(err: unknown): boolean {
  const types = kafkaJsErrorTypes(err);
  return LOST_OWNERSHIP.some((t) => types.has(t));
}
