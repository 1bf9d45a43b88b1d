import { FleetlineError } from '@fleetline/proto';
import pg from 'pg';
import { RecordsRejectedError, RecordsUnavailableError } from '../../errors.js';
import {
  causes,
  isTransientSystemError,
  type TlsSettings,
  tlsFailure,
} from '../../failures/failure.js';
import { missingReference, uniqueConflict } from '../sql/constraints.js';

/**
 * node-postgres's failures as the RecordsDb's errors. The server's are read by SQLSTATE
 * (PostgreSQL's documentation, appendix A "Error Codes"): a unique key taken (23505) is a
 * RecordConflictError naming the field by the constraint's name; a reference to nothing
 * (23503) is rejected naming it too; what a later attempt may not meet — connection
 * exceptions, insufficient resources, the server shutting down or not yet accepting, a
 * statement timeout, a serialization failure or deadlock — is RecordsUnavailableError; the
 * rest (refused credentials, no permission, a missing database, a value it does not accept)
 * RecordsRejectedError. An error without a SQLSTATE is the client's own about its connection
 * (refused, reset, "Connection terminated", the pool's wait for a connection timing out):
 * unavailable, unless it is about TLS.
 */

const TLS: TlsSettings = {
  enable: 'the sslmode of DATABASE_URL',
  caFile: 'the sslrootcert of DATABASE_URL',
  certFiles: 'the sslcert and sslkey of DATABASE_URL',
  verify: 'the sslmode of DATABASE_URL',
};

/** SQLSTATE classes and codes that may pass. */
const RETRYABLE_CLASSES = new Set(['08', '53', '57', '58']);
const RETRYABLE_CODES = new Set(['40001', '40P01', '55P03', '55006']);
const hints: Readonly<Record<string, string>> = {
  '28P01': 'check the user and password in DATABASE_URL',
  '28000': 'check the user in DATABASE_URL and the server’s pg_hba.conf',
  '3D000': 'create the database, or name an existing one in DATABASE_URL',
  '42501': 'grant the user of DATABASE_URL the privilege (it owns the schema it migrates)',
};

function ofServer(e: pg.DatabaseError, where: string, cause: unknown): Error {
  const code = e.code ?? '';
  if (code === '23505') return uniqueConflict({ constraint: e.constraint ?? '' }, cause);
  if (code === '23503') return missingReference(e.constraint, where, cause);
  const hint = hints[code];
  const message = `${where}: ${code}: ${e.message}${hint ? `; ${hint}` : ''}`;
  const details = { cause, driverCode: code };
  return RETRYABLE_CLASSES.has(code.slice(0, 2)) || RETRYABLE_CODES.has(code)
    ? new RecordsUnavailableError(message, details)
    : new RecordsRejectedError(message, details);
}

export function recordsErrorOfPostgres(err: unknown, where: string): Error {
  if (err instanceof FleetlineError) return err;
  for (const e of causes(err)) {
    if (e instanceof pg.DatabaseError) return ofServer(e, where, err);
  }
  const tls = tlsFailure(err, 'the PostgreSQL server', TLS);
  if (tls) return new RecordsRejectedError(`${where}: ${tls.reason}`, { cause: err });
  const e = err as Error;
  const said = e?.message ?? String(err);
  if (e instanceof TypeError || e instanceof RangeError) {
    return new RecordsRejectedError(`${where}: ${said}`, { cause: err });
  }
  const transient = [...causes(err)].find(isTransientSystemError);
  return new RecordsUnavailableError(`${where}: ${said}`, {
    cause: err,
    ...(transient ? { driverCode: transient.code as string } : {}),
  });
}
