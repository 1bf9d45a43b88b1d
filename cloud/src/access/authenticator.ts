import type { RecordsDb, SessionRecord, User } from '@fleetline/platform';
import { type Caller, tokenActor, userActor } from './caller.js';
import { HolderCache } from './holder-cache.js';
import { unmatchableHash, verifyPassword } from './passwords.js';
import { API_TOKEN_PREFIX, newSecret, secretHash } from './secrets.js';
import { ATTEMPTS_KEPT_MS } from './sign-in-limits.js';

/**
 * Turns what a request presents — a session id from its cookie, an API token from its
 * Authorization header — into a Caller, checking expiry, revocation and disabled accounts
 * against the records on every request: a sign-out, a revoked token or a disabled person is
 * refused at the very next request, in every process. (What was read is reused only while
 * the records are unchanged: holder-cache.ts.)
 */

export interface SessionTimes {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however used. */
  readonly maxAgeMs: number;
}

/** A new session: the id goes to the browser (in a cookie) and nowhere else. */
export interface NewSession {
  readonly id: string;
  readonly record: SessionRecord;
  readonly user: User;
}

// lastSeen is written at most this often per session: not a write per request.
const TOUCH_EVERY_MS = 60_000;

export class Authenticator {
  private readonly holders: HolderCache;

  constructor(
    private readonly records: RecordsDb,
    private readonly times: SessionTimes,
    private readonly now: () => number = Date.now,
  ) {
    this.holders = new HolderCache(records);
  }

  /** The caller a session id belongs to, or undefined (unknown, expired, disabled). */
  async fromSessionId(sessionId: string): Promise<Caller | undefined> {
    // The session, its person, their grants, their organisation's state: one read, or none
    // while the records are unchanged.
    const holder = await this.holders.session(sessionId);
    if (!holder) return undefined;
    const { session, user, grants } = holder;
    const nowMs = this.now();
    if (this.expired(session, nowMs)) {
      await this.records.deleteSession(session.idHash);
      return undefined;
    }
    if (user.disabled || holder.organisationDisabled) return undefined;
    if (nowMs - session.lastSeenMs >= TOUCH_EVERY_MS)
      await this.records.touchSession(session.idHash, nowMs);
    return {
      kind: 'session',
      orgId: user.orgId,
      grants,
      by: user.name,
      actor: userActor(user.id),
      user,
      session,
    };
  }

  /** The caller an API token belongs to, or undefined (unknown, revoked, expired). */
  async fromToken(token: string): Promise<Caller | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const holder = await this.holders.token(token);
    if (!holder || holder.organisationDisabled) return undefined;
    const record = holder.token;
    if (record.revokedMs !== undefined || record.expiresMs <= this.now()) return undefined;
    return {
      kind: 'token',
      orgId: record.orgId,
      grants: [
        {
          role: record.role,
          orgId: record.orgId,
          ...(record.storeId === undefined ? {} : { storeId: record.storeId }),
        },
      ],
      by: `token ${record.name}`,
      actor: tokenActor(record.id),
    };
  }

  /**
   * Checks a login and password: `user` is undefined for a wrong one, an unknown login and a
   * disabled person alike, after the same work: an unknown login is checked against a hash nothing
   * matches, so the answer's timing does not tell whether the account exists.
   */
  async checkPassword(
    login: string,
    password: string,
  ): Promise<{ user: User | undefined; account: User | undefined }> {
    const found = await this.records.findUserByLogin(login);
    const ok = await verifyPassword(found?.passwordHash ?? (await unmatchableHash), password);
    const allowed =
      ok && found && !found.user.disabled && (await this.organisationEnabled(found.user.orgId));
    // `account`, the person the login names, is for the audit trail only, never an answer.
    return {
      user: allowed ? found.user : undefined,
      account: found?.user,
    };
  }

  /** Starts a session for the user: a new id every time (no fixation). */
  async startSession(user: User, address: string): Promise<NewSession> {
    const id = newSecret();
    const nowMs = this.now();
    const record: SessionRecord = {
      idHash: secretHash(id),
      userId: user.id,
      csrfToken: newSecret(),
      createdMs: nowMs,
      lastSeenMs: nowMs,
      address,
    };
    await this.records.createSession(record);
    return { id, record, user };
  }

  endSession = (session: SessionRecord) => this.records.deleteSession(session.idHash);

  /** Ends the session with that id, if there is one. */
  endSessionById = (sessionId: string) => this.records.deleteSession(secretHash(sessionId));

  /**
   * Ends sessions idle or old beyond the limits, and forgets sign-in attempt buckets full
   * again (a periodic sweep; reads check anyway).
   */
  pruneSessions = async () => {
    const nowMs = this.now();
    await this.records.pruneAttempts(nowMs - ATTEMPTS_KEPT_MS);
    return this.records.pruneSessions(nowMs - this.times.idleMs, nowMs - this.times.maxAgeMs);
  };

  /** A disabled organisation's people and tokens are refused, at once. */
  private async organisationEnabled(orgId: string): Promise<boolean> {
    const org = await this.records.getOrganisation(orgId);
    return org !== undefined && !org.disabled;
  }

  private expired(session: SessionRecord, nowMs: number): boolean {
    return (
      nowMs - session.lastSeenMs >= this.times.idleMs ||
      nowMs - session.createdMs >= this.times.maxAgeMs
    );
  }
}
