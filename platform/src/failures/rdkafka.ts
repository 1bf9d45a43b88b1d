import { protocolErrors, protocolErrorsCodesById } from '@platformatic/kafka';
import {
  causes,
  clientLogError,
  type DriverFailure,
  decisiveFailure,
  type ErrorLike,
} from './failure.js';
import { KAFKA_TLS, LOST_OWNERSHIP } from './kafka.js';

/**
 * librdkafka's failures as node-rdkafka raises them (LibrdKafkaError): a numeric `code` —
 * negative for librdkafka's own (local) errors, the Kafka protocol's error code otherwise —
 * and, on errors that carry them, `isFatal` and `isRetriable`. The codes are librdkafka's
 * (rdkafka.h, the names of node-rdkafka's CODES.ERRORS), fixed across its versions; they are
 * listed here so that classifying needs no native module.
 */

/** librdkafka's local error codes this classification acts on, by name. */
export const RdKafkaCode = {
  DESTROY: -197,
  FAIL: -196,
  TRANSPORT: -195,
  RESOLVE: -193,
  MSG_TIMED_OUT: -192,
  PARTITION_EOF: -191,
  UNKNOWN_PARTITION: -190,
  UNKNOWN_TOPIC: -188,
  ALL_BROKERS_DOWN: -187,
  INVALID_ARG: -186,
  TIMED_OUT: -185,
  QUEUE_FULL: -184,
  ISR_INSUFF: -183,
  NODE_UPDATE: -182,
  SSL: -181,
  WAIT_COORD: -180,
  IN_PROGRESS: -178,
  PREV_IN_PROGRESS: -177,
  ASSIGN_PARTITIONS: -175,
  REVOKE_PARTITIONS: -174,
  STATE: -172,
  AUTHENTICATION: -169,
  TIMED_OUT_QUEUE: -166,
  UNSUPPORTED_FEATURE: -165,
  WAIT_CACHE: -164,
  RETRY: -153,
  FATAL: -150,
  MAX_POLL_EXCEEDED: -147,
  UNKNOWN_BROKER: -146,
  ASSIGNMENT_LOST: -142,
  DESTROY_BROKER: -137,
} as const;

const LOCAL_NAMES = new Map<number, string>(
  Object.entries(RdKafkaCode).map(([name, code]) => [code, `ERR__${name}`]),
);

/** Local errors that are the cluster being away, slow or moving, which passes. */
const TRANSIENT_LOCAL = new Set<number>([
  RdKafkaCode.TRANSPORT,
  RdKafkaCode.RESOLVE,
  RdKafkaCode.MSG_TIMED_OUT,
  RdKafkaCode.ALL_BROKERS_DOWN,
  RdKafkaCode.TIMED_OUT,
  RdKafkaCode.TIMED_OUT_QUEUE,
  RdKafkaCode.QUEUE_FULL,
  RdKafkaCode.ISR_INSUFF,
  RdKafkaCode.NODE_UPDATE,
  RdKafkaCode.WAIT_COORD,
  RdKafkaCode.IN_PROGRESS,
  RdKafkaCode.PREV_IN_PROGRESS,
  RdKafkaCode.WAIT_CACHE,
  RdKafkaCode.RETRY,
  RdKafkaCode.UNKNOWN_BROKER,
  RdKafkaCode.ASSIGNMENT_LOST,
  RdKafkaCode.DESTROY_BROKER,
]);

type RdKafkaErrorLike = ErrorLike & {
  code: number;
  origin?: unknown;
  isFatal?: unknown;
  isRetriable?: unknown;
};

/** Whether the error is node-rdkafka's: its code is librdkafka's number. */
export const isRdKafkaError = (e: unknown): e is RdKafkaErrorLike =>
  e instanceof Error && typeof (e as ErrorLike).code === 'number';

/** The name of a librdkafka error code: ERR__TRANSPORT, TOPIC_ALREADY_EXISTS, ... */
export function rdKafkaCodeName(code: number): string {
  // -1: an error node-rdkafka made from a message rather than from librdkafka's code.
  if (code === -1) return 'ERR_UNKNOWN';
  if (code < 0) return LOCAL_NAMES.get(code) ?? `ERR__${-code}`;
  return protocolErrorsCodesById[code] ?? `KAFKA_ERROR_${code}`;
}

/** The librdkafka codes among the failure's causes. */
export function rdKafkaCodes(err: unknown): Set<number> {
  const codes = new Set<number>();
  for (const e of causes(err)) if (isRdKafkaError(e)) codes.add(e.code);
  return codes;
}

function classifyOne(e: RdKafkaErrorLike): DriverFailure {
  const code = rdKafkaCodeName(e.code);
  const said = `${code}: ${e.message}`;
  if (e.code === RdKafkaCode.AUTHENTICATION || code === 'SASL_AUTHENTICATION_FAILED') {
    return {
      retryable: false,
      code,
      reason: `Kafka refused the SASL authentication (${said}); check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
    };
  }
  if (e.code === RdKafkaCode.SSL) {
    // librdkafka reports every TLS failure with this one code; which part failed is only in
    // its words, so the reason names every setting that may fix it.
    return {
      retryable: false,
      code,
      reason: `TLS with the Kafka broker failed (${said}); check ${KAFKA_TLS.caFile}, ${KAFKA_TLS.certFiles}, ${KAFKA_TLS.verify} and ${KAFKA_TLS.enable}`,
    };
  }
  if (code.endsWith('_AUTHORIZATION_FAILED')) {
    return {
      retryable: false,
      code,
      reason: `Kafka refused (${said}); grant the principal of KAFKA_SASL_USERNAME (or of the client certificate) the ACL`,
    };
  }
  if (e.isFatal === true || e.code === RdKafkaCode.FATAL) {
    return { retryable: false, code, reason: `librdkafka failed for good (${said})` };
  }
  if (e.code < 0) {
    return { retryable: TRANSIENT_LOCAL.has(e.code) || e.isRetriable === true, code, reason: said };
  }
  // The broker's code: Kafka's own table says whether it passes.
  const known = protocolErrors[code];
  return { retryable: known?.canRetry === true || e.isRetriable === true, code, reason: said };
}

/**
 * What a node-rdkafka failure means: retryable when the cluster is away, slow or moving
 * (transport, timeouts, all brokers down, a retriable protocol error); not when it refused
 * authentication, TLS or an ACL, when librdkafka raised a fatal error, or for a usage error.
 * Among several causes, one that lasts decides.
 */
export function classifyRdKafkaFailure(err: unknown): DriverFailure {
  const decided = decisiveFailure(err, (e) => (isRdKafkaError(e) ? classifyOne(e) : undefined));
  if (decided) return decided;
  const e = err as ErrorLike;
  return { retryable: false, reason: e?.message ?? String(err) };
}

/** The Log's error for a node-rdkafka failure (see kafkaLogError). */
export function rdkafkaLogError(err: unknown, what: string): Error {
  return clientLogError(err, what, classifyRdKafkaFailure);
}

/**
 * A commit refused because the partition moved away (see isLostOwnership), in librdkafka's
 * terms too: the assignment lost, or no group membership to commit with.
 */
const LOST = new Set([...LOST_OWNERSHIP, 'ERR__ASSIGNMENT_LOST', 'ERR__STATE']);

export function isLostOwnershipRdKafka(err: unknown): boolean {
  return [...rdKafkaCodes(err)].some((c) => LOST.has(rdKafkaCodeName(c)));
}
