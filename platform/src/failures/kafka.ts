import {
  AuthenticationError,
  GenericError,
  MultipleErrors,
  NetworkError,
  ProtocolError,
  TimeoutError,
  UserError,
} from '@platformatic/kafka';
import {
  causes,
  clientLogError,
  codeOf,
  type DriverFailure,
  decisiveFailure,
  type ErrorLike,
  isTransientSystemError,
  type TlsSettings,
  tlsFailure,
} from './failure.js';

/**
 * @platformatic/kafka's failures, by its error classes and the Kafka protocol's error codes
 * (the ids of the protocol's error table, with Kafka's own "retriable" column as `canRetry`).
 */

/** The settings that fix a TLS failure of a Kafka link, whichever client met it. */
export const KAFKA_TLS: TlsSettings = {
  enable: 'KAFKA_SECURITY_PROTOCOL',
  caFile: 'KAFKA_TLS_CA_FILE',
  certFiles: 'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE',
  verify: 'KAFKA_TLS_VERIFY',
};

type KafkaProtocolError = ErrorLike & { apiId?: string; canRetry?: boolean };

/** The Kafka protocol error ids (e.g. TOPIC_ALREADY_EXISTS) among the failure's causes. */
export function kafkaErrorIds(err: unknown): Set<string> {
  const ids = new Set<string>();
  for (const e of causes(err)) {
    const id = (e as KafkaProtocolError).apiId;
    if (e instanceof ProtocolError && typeof id === 'string') ids.add(id);
  }
  return ids;
}

function classifyOne(e: ErrorLike): DriverFailure | undefined {
  if (e instanceof AuthenticationError) {
    // The broker's own words, when it gave any, say which part was refused.
    const server = [...causes(e)]
      .map((x) => x as KafkaProtocolError & { serverErrorMessage?: unknown })
      .find((x) => x instanceof ProtocolError);
    const said = server
      ? `${server.apiId}: ${typeof server.serverErrorMessage === 'string' ? server.serverErrorMessage : server.message}`
      : ((e.cause as Error | undefined)?.message ?? e.message);
    return {
      retryable: false,
      code: e.code,
      reason: `Kafka refused the SASL authentication (${said}); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
    };
  }
  if (e instanceof ProtocolError) {
    const p = e as KafkaProtocolError;
    const id = p.apiId ?? 'UNKNOWN';
    const authorization = id.endsWith('_AUTHORIZATION_FAILED');
    return {
      retryable: p.canRetry === true,
      code: id,
      reason: authorization
        ? `Kafka refused (${id}: ${e.message}); grant the principal of KAFKA_SASL_USERNAME (or of the client certificate) the ACL`
        : `${id}: ${e.message}`,
    };
  }
  // The library says so when a TLS connection was reset before the handshake: a plaintext port.
  if (e instanceof UserError && e.cause instanceof Error && codeOf(e.cause) === 'ECONNRESET') {
    return {
      retryable: false,
      code: e.code,
      reason: `${e.message} (${e.cause.message}); use the brokers' TLS listener, or KAFKA_SECURITY_PROTOCOL without TLS`,
    };
  }
  // Timeouts are marked not retriable by the library (it does not retry them itself); for the
  // caller they are the broker being slow or away, which passes.
  if (e instanceof TimeoutError) return { retryable: true, code: e.code, reason: e.message };
  if (isTransientSystemError(e)) return { retryable: true, code: codeOf(e), reason: e.message };
  return undefined;
}

/**
 * What a @platformatic/kafka failure means. The library aggregates the attempts of an
 * operation (MultipleErrors): a failure is retryable unless one of its causes lasts — refused
 * authentication or TLS, a non-retriable protocol error, a usage error.
 */
export function classifyKafkaFailure(err: unknown): DriverFailure {
  const tls = tlsFailure(err, 'the Kafka broker', KAFKA_TLS);
  if (tls) return tls;
  const decided = decisiveFailure(err, classifyOne);
  if (decided) return decided;
  const e = err as ErrorLike;
  // The library's own errors without a decisive cause: its connection errors pass, its
  // usage and unsupported-feature errors do not.
  if (e instanceof NetworkError || e instanceof MultipleErrors) {
    return { retryable: true, code: codeOf(e), reason: e.message };
  }
  if (e instanceof GenericError) {
    return {
      retryable: (e as KafkaProtocolError).canRetry === true,
      code: e.code,
      reason: e.message,
    };
  }
  return { retryable: false, reason: e?.message ?? String(err) };
}

/**
 * The Log's error for a failure of the client: LogUnavailableError when trying again may
 * succeed, LogRejectedError when it cannot (refused authentication or TLS, a non-retriable
 * protocol error), with the reason after `what`. An error of the Log passes as it is.
 */
export function kafkaLogError(err: unknown, what: string): Error {
  return clientLogError(err, what, classifyKafkaFailure);
}

/**
 * The protocol errors a commit meets when a rebalance moved the partition away (or this
 * member's membership ended): its new owner starts from the last committed offset and
 * re-handles those records, which idempotent writes absorb.
 */
export const LOST_OWNERSHIP: readonly string[] = [
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
  'FENCED_MEMBER_EPOCH',
  'STALE_MEMBER_EPOCH',
];

export function isLostOwnership(err: unknown): boolean {
  const ids = kafkaErrorIds(err);
  return LOST_OWNERSHIP.some((id) => ids.has(id));
}
