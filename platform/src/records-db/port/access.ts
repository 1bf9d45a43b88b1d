import type { User } from './model.js';
import type { Grant, Role } from './roles.js';

/** A signed-in browser's session. The id is kept only as its hash. */
export interface SessionRecord {
  readonly idHash: string;
  readonly userId: string;
  /** The CSRF token writes with this session must carry. */
  readonly csrfToken: string;
  readonly createdMs: number;
  readonly lastSeenMs: number;
  /** The address it signed in from. */
  readonly address: string;
}

/** An integration's API token. The token is kept only as its hash. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly orgId: string;
  /** Scoped to this store; organisation-wide when absent. */
  readonly storeId?: string;
  readonly role: Role;
  readonly createdMs: number;
  /** User id of who created it. */
  readonly createdBy: string;
  readonly expiresMs: number;
  readonly revokedMs?: number;
}

/**
 * What a request presenting a session checks, read at once: the session, its person, their
 * grants, and whether their organisation is disabled.
 */
export interface SessionHolder {
  readonly session: SessionRecord;
  readonly user: User;
  readonly grants: readonly Grant[];
  readonly organisationDisabled: boolean;
}

/** What a request presenting an API token checks, read at once. */
export interface TokenHolder {
  readonly token: ApiTokenRecord;
  readonly organisationDisabled: boolean;
}

/** A token bucket: `burst` at once, refilled at `perSecond`. */
export interface AttemptLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** Sessions and API tokens. */
export interface AccessBook {
  /**
   * Takes one attempt from the bucket `key`, shared by every process on these records (so N
   * processes do not give N times the attempts): undefined when taken, else the seconds until
   * one is there. Taking is one atomic statement.
   */
  takeAttempt(key: string, limit: AttemptLimit, nowMs: number): Promise<number | undefined>;
  /** Gives one attempt back (up to the burst). */
  refundAttempt(key: string, limit: AttemptLimit): Promise<void>;
  /** Forgets buckets untouched since beforeMs (full again by then). */
  pruneAttempts(beforeMs: number): Promise<number>;
  /** The session with that id hash and what a request checks of it, in one query. */
  sessionHolder(idHash: string): Promise<SessionHolder | undefined>;
  /** The token with that hash and its organisation's state, in one query. */
  tokenHolder(hash: string): Promise<TokenHolder | undefined>;
  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  /** Sets lastSeenMs (callers do it at most every few seconds, not on every request). */
  touchSession(idHash: string, atMs: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of the user (password change, reset, disable); how many there were. */
  deleteUserSessions(userId: string): Promise<number>;
  /** Deletes sessions last seen before idleBeforeMs or created before createdBeforeMs. */
  pruneSessions(idleBeforeMs: number, createdBeforeMs: number): Promise<number>;

  createToken(
    token: Omit<ApiTokenRecord, 'id' | 'revokedMs'> & { hash: string },
  ): Promise<ApiTokenRecord>;
  /** The token with that hash, revoked or expired ones included (the caller decides). */
  findToken(hash: string): Promise<ApiTokenRecord | undefined>;
  listTokens(orgId: string): Promise<ApiTokenRecord[]>;
  /** Revokes at atMs unless revoked already; the token as it now is. */
  revokeToken(id: string, atMs: number): Promise<ApiTokenRecord | undefined>;
}
