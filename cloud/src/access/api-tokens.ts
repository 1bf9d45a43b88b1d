import type { ApiTokenRecord, RecordsDb, Role } from '@fleetline/platform';
import { API_TOKEN_PREFIX, newSecret, secretHash } from './secrets.js';

/** What a new API token is for. */
export interface ApiTokenRequest {
  readonly name: string;
  readonly orgId: string;
  /** Scoped to this store; organisation-wide when absent. */
  readonly storeId?: string;
  readonly role: Role;
  /** `user:<id>` of who creates it (or `cli`). */
  readonly createdBy: string;
  readonly expiresMs: number;
}

/**
 * Issues an API token: the token itself is returned once, to be shown once; the records keep
 * only its hash.
 */
export async function issueApiToken(
  records: RecordsDb,
  request: ApiTokenRequest,
  nowMs = Date.now(),
): Promise<{ token: string; record: ApiTokenRecord }> {
  const token = `${API_TOKEN_PREFIX}${newSecret()}`;
  const record = await records.createToken({
    ...request,
    createdMs: nowMs,
    hash: secretHash(token),
  });
  return { token, record };
}
