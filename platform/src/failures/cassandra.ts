import cassandra from 'cassandra-driver';
import {
  causes,
  codeOf,
  type DriverFailure,
  type ErrorLike,
  isTransientSystemError,
  type TlsSettings,
  tlsFailure,
} from './failure.js';

/**
 * cassandra-driver's failures, by class and by the native protocol's error code
 * (native_protocol_v5.spec §9 "Error codes").
 */

const { errors } = cassandra;
const codes = cassandra.types.responseErrorCodes;

const TLS: TlsSettings = {
  enable: 'CASSANDRA_TLS',
  caFile: 'CASSANDRA_TLS_CA_FILE',
  certFiles: 'CASSANDRA_TLS_CERT_FILE and CASSANDRA_TLS_KEY_FILE',
  verify: 'CASSANDRA_TLS_VERIFY',
};

/**
 * Server errors a later attempt may not meet: the node is starting, overloaded, or could not
 * reach enough replicas in time. Server Error (0x0000) is an unexpected exception on the
 * coordinator; drivers retry it on another node.
 */
const RETRYABLE_RESPONSES = new Set<number>([
  codes.serverError,
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.truncateError,
  codes.writeTimeout,
  codes.readTimeout,
  codes.readFailure,
  codes.writeFailure,
  codes.unprepared,
]);

const responseName = new Map<number, string>(
  Object.entries(codes).map(([name, code]) => [code as number, name]),
);

function classifyOne(e: ErrorLike): DriverFailure | undefined {
  if (e instanceof errors.AuthenticationError) {
    return {
      retryable: false,
      reason: `Cassandra refused the credentials (${e.message}); check CASSANDRA_USERNAME and CASSANDRA_PASSWORD`,
    };
  }
  if (e instanceof errors.ResponseError) {
    const name = responseName.get(e.code) ?? `0x${e.code.toString(16)}`;
    if (e.code === codes.badCredentials) {
      return {
        retryable: false,
        code: name,
        reason: `Cassandra refused the credentials (${name}: ${e.message}); check CASSANDRA_USERNAME and CASSANDRA_PASSWORD`,
      };
    }
    if (e.code === codes.unauthorized) {
      return {
        retryable: false,
        code: name,
        reason: `Cassandra refused (${name}: ${e.message}); grant the role of CASSANDRA_USERNAME the permission`,
      };
    }
    return {
      retryable: RETRYABLE_RESPONSES.has(e.code),
      code: name,
      reason: `${name}: ${e.message}`,
    };
  }
  if (e instanceof errors.OperationTimedOutError || e instanceof errors.BusyConnectionError) {
    return { retryable: true, code: e.name, reason: e.message };
  }
  if (e instanceof errors.NoHostAvailableError) return undefined; // decided by its hosts' errors
  if (
    e instanceof errors.ArgumentError ||
    e instanceof errors.NotSupportedError ||
    e instanceof errors.DriverInternalError ||
    e instanceof errors.VIntOutOfRangeException ||
    e instanceof TypeError ||
    e instanceof RangeError
  ) {
    return { retryable: false, code: e.name, reason: e.message };
  }
  if (isTransientSystemError(e)) return { retryable: true, code: codeOf(e), reason: e.message };
  // The driver's own connection errors ("Connection timeout", "Socket was closed", …).
  if (e instanceof errors.DriverError) return { retryable: true, reason: e.message };
  return undefined;
}

/** What a cassandra-driver failure means; anything not recognised is not retried. */
export function classifyCassandraFailure(err: unknown): DriverFailure {
  // A failure to reach any node is as retryable as the failures of the nodes tried: wrong
  // credentials on every node are not, a node refusing connections is.
  if (err instanceof errors.NoHostAvailableError) {
    const tried = Object.entries((err.innerErrors ?? {}) as Record<string, unknown>);
    if (tried.length === 0) {
      return { retryable: true, reason: 'no Cassandra node is available (none to try)' };
    }
    const each = tried.map(([host, e]) => ({ host, f: classifyCassandraFailure(e) }));
    const lasting = each.find(({ f }) => !f.retryable);
    if (lasting && each.every(({ f }) => !f.retryable)) return lasting.f;
    return {
      retryable: true,
      reason: `no Cassandra node answered (${each.map(({ host, f }) => `${host}: ${f.reason}`).join('; ')})`,
    };
  }
  const tls = tlsFailure(err, 'the Cassandra node', TLS);
  if (tls) return tls;
  for (const e of causes(err)) {
    const f = classifyOne(e);
    if (f) return f;
  }
  return { retryable: false, reason: (err as Error)?.message ?? String(err) };
}
