import {
  LogRejectedError,
  LogUnavailableError,
  StoreRejectedError,
  StoreUnavailableError,
} from '../errors.js';

/**
 * What a driver's failure means for the caller: whether the same operation may succeed later
 * (the server restarting, overloaded or unreachable; a timeout), and what went wrong in words
 * an operator can act on. Each driver's classification reads its error classes and codes —
 * never its message text, which changes between versions.
 */
export interface DriverFailure {
  readonly retryable: boolean;
  /** What went wrong: the driver's words and code, and the setting to fix when one is known. */
  readonly reason: string;
  /** The driver's (or Node's) code of the failure that decided, when it has one. */
  readonly code?: string;
}

export type ErrorLike = Error & {
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  innerErrors?: unknown;
};

/**
 * The error and every error it wraps, depth first: `cause`, an AggregateError's `errors`, and
 * the Cassandra driver's `innerErrors` (one per host tried).
 */
export function* causes(err: unknown, seen = new Set<unknown>()): Generator<ErrorLike> {
  if (!(err instanceof Error) || seen.has(err)) return;
  seen.add(err);
  const e = err as ErrorLike;
  yield e;
  yield* causes(e.cause, seen);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* causes(inner, seen);
  if (e.innerErrors && typeof e.innerErrors === 'object') {
    for (const inner of Object.values(e.innerErrors)) yield* causes(inner, seen);
  }
}

export const codeOf = (e: ErrorLike): string | undefined =>
  typeof e.code === 'string' ? e.code : undefined;

/** The first of the error's causes (itself included) that the test accepts. */
export function find(err: unknown, test: (e: ErrorLike) => boolean): ErrorLike | undefined {
  for (const e of causes(err)) if (test(e)) return e;
  return undefined;
}

/**
 * What the error's causes say, taken together: the first lasting failure among them (one cause
 * that will not pass decides), else the first passing one; undefined when `classify` knows none.
 */
export function decisiveFailure(
  err: unknown,
  classify: (e: ErrorLike) => DriverFailure | undefined,
): DriverFailure | undefined {
  let transient: DriverFailure | undefined;
  for (const e of causes(err)) {
    const f = classify(e);
    if (f && !f.retryable) return f;
    transient ??= f;
  }
  return transient;
}

/** Node's network errors that a later attempt may not meet. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
]);

export const isTransientSystemError = (e: ErrorLike): boolean =>
  TRANSIENT_SYSTEM_CODES.has(codeOf(e) ?? '');

/** Which settings fix a TLS failure of a link, to name them in the reason. */
export interface TlsSettings {
  /** Turns TLS on or off for the link. */
  readonly enable: string;
  readonly caFile: string;
  readonly certFiles: string;
  readonly verify: string;
}

/**
 * OpenSSL's certificate verification results as Node reports them (the `code` of the error of
 * a TLS connection; Node's tls documentation lists them).
 */
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'UNABLE_TO_GET_CRL',
  'CRL_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
]);
const WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
/** TLS alerts the server sends when it does not accept the client's certificate (or none). */
const CLIENT_CERT_REFUSED =
  /^ERR_SSL_(TLSV1_ALERT_UNKNOWN_CA|TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_ACCESS_DENIED|SSLV3_ALERT_CERTIFICATE_UNKNOWN)$/;

/**
 * A TLS failure among the error's causes, described with the settings that fix it; undefined
 * when the failure is not about TLS. Such failures never go away by retrying.
 */
export function tlsFailure(
  err: unknown,
  server: string,
  settings: TlsSettings,
): DriverFailure | undefined {
  for (const e of causes(err)) {
    const code = codeOf(e);
    if (!code || code === 'ERR_TLS_HANDSHAKE_TIMEOUT') continue;
    const said = `${code}: ${e.message.trim()}`;
    if (UNTRUSTED.has(code)) {
      return {
        retryable: false,
        code,
        reason: `TLS: ${server}'s certificate is not trusted (${said}); set ${settings.caFile} to the CA that signed it`,
      };
    }
    if (WRONG_NAME.has(code)) {
      return {
        retryable: false,
        code,
        reason: `TLS: ${server}'s certificate is not for the address connected to (${said}); connect by a name the certificate holds, or set ${settings.verify}=ca`,
      };
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
      return {
        retryable: false,
        code,
        reason: `TLS: ${server} does not speak TLS on that port (${said}); use its TLS port, or turn TLS off with ${settings.enable}`,
      };
    }
    if (CLIENT_CERT_REFUSED.test(code)) {
      return {
        retryable: false,
        code,
        reason: `TLS: ${server} refused this client's certificate, or wants one (${said}); set ${settings.certFiles}`,
      };
    }
    if (
      code.startsWith('ERR_SSL_') ||
      code.startsWith('ERR_OSSL_') ||
      code.startsWith('ERR_TLS_')
    ) {
      return { retryable: false, code, reason: `TLS with ${server} failed (${said})` };
    }
  }
  return undefined;
}

/** The Store's error for a driver failure: unavailable (retryable) or rejected (not). */
export function storeError(failure: DriverFailure, message: string, cause: unknown) {
  const details = { cause, ...(failure.code ? { driverCode: failure.code } : {}) };
  return failure.retryable
    ? new StoreUnavailableError(message, details)
    : new StoreRejectedError(message, details);
}

/** The Log's error for a driver failure: unavailable (retryable) or rejected (not). */
/**
 * The Log's error for a client failure classified by `classify`: LogUnavailableError when
 * trying again may succeed, LogRejectedError when it cannot, with the reason after `what`. An
 * error of the Log passes as it is.
 */
export function clientLogError(
  err: unknown,
  what: string,
  classify: (err: unknown) => DriverFailure,
): Error {
  if (err instanceof LogUnavailableError || err instanceof LogRejectedError) return err;
  const failure = classify(err);
  return logError(failure, `${what}: ${failure.reason}`, err);
}

export function logError(failure: DriverFailure, message: string, cause: unknown) {
  const details = { cause, ...(failure.code ? { driverCode: failure.code } : {}) };
  return failure.retryable
    ? new LogUnavailableError(message, details)
    : new LogRejectedError(message, details);
}
