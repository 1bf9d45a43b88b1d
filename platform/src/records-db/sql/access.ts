import { randomUUID } from 'node:crypto';
import type {
  AccessBook,
  ApiTokenRecord,
  AttemptLimit,
  SessionHolder,
  SessionRecord,
  TokenHolder,
} from '../port/access.js';
import {
  flag,
  type GrantRow,
  grantOf,
  type SessionRow,
  sessionOf,
  type TokenRow,
  tokenOf,
  type UserRow,
  userOf,
} from './rows.js';
import { first, type Sql } from './sql.js';

/** Sessions and API tokens, over either dialect. */
export class SqlAccess implements AccessBook {
  constructor(private readonly sql: Sql) {}

  async createSession(s: SessionRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO sessions (id_hash, user_id, csrf_token, created_ms, last_seen_ms, address)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [s.idHash, s.userId, s.csrfToken, s.createdMs, s.lastSeenMs, s.address],
    );
  }

  async sessionHolder(idHash: string): Promise<SessionHolder | undefined> {
    // One row per grant (one with no grant columns for a person without any).
    const rows = await this.sql.all<HolderRow>(
      `SELECT s.id_hash, s.user_id, s.csrf_token, s.created_ms AS session_created_ms,
              s.last_seen_ms, s.address,
              u.id, u.org_id, u.name, u.username, u.mobile, u.password_hash, u.disabled,
              u.must_change_password, u.created_ms,
              o.disabled AS org_disabled,
              g.role AS grant_role, g.org_id AS grant_org_id, g.store_id AS grant_store_id,
              g.group_id AS grant_group_id
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN organisations o ON o.id = u.org_id
         LEFT JOIN grants g ON g.user_id = u.id
        WHERE s.id_hash = ?`,
      [idHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      session: sessionOf({ ...row, created_ms: row.session_created_ms }),
      user: userOf(row),
      grants: rows
        .filter((r) => r.grant_role !== null)
        .map((r) =>
          grantOf({
            role: r.grant_role as GrantRow['role'],
            org_id: r.grant_org_id as string,
            store_id: r.grant_store_id,
            group_id: r.grant_group_id,
          }),
        ),
      organisationDisabled: flag(row.org_disabled),
    };
  }

  async tokenHolder(hash: string): Promise<TokenHolder | undefined> {
    const row = await first<TokenRow & { org_disabled: boolean | number }>(
      this.sql,
      `SELECT t.*, o.disabled AS org_disabled
         FROM api_tokens t JOIN organisations o ON o.id = t.org_id
        WHERE t.hash = ?`,
      [hash],
    );
    return row && { token: tokenOf(row), organisationDisabled: flag(row.org_disabled) };
  }

  async takeAttempt(key: string, limit: AttemptLimit, nowMs: number): Promise<number | undefined> {
    // What the bucket holds now: its tokens plus the refill since, up to the burst.
    const now = `${this.least}(CAST(? AS DOUBLE PRECISION), attempt_buckets.tokens + (CAST(? AS BIGINT) - attempt_buckets.at_ms) * CAST(? AS DOUBLE PRECISION))`;
    const perMs = limit.perSecond / 1000;
    const taken = await this.sql.all<{ tokens: number }>(
      `INSERT INTO attempt_buckets (key, tokens, at_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = ${now} - 1, at_ms = ?
       WHERE ${now} >= 1
       RETURNING tokens`,
      [key, limit.burst - 1, nowMs, limit.burst, nowMs, perMs, nowMs, limit.burst, nowMs, perMs],
    );
    if (taken.length > 0) return undefined;
    const row = await first<{ tokens: number; at_ms: number }>(
      this.sql,
      'SELECT tokens, at_ms FROM attempt_buckets WHERE key = ?',
      [key],
    );
    const held = row
      ? Math.min(limit.burst, row.tokens + ((nowMs - Number(row.at_ms)) / 1000) * limit.perSecond)
      : 0;
    return Math.max(1, Math.ceil((1 - held) / limit.perSecond));
  }

  async refundAttempt(key: string, limit: AttemptLimit): Promise<void> {
    await this.sql.run(
      `UPDATE attempt_buckets SET tokens = ${this.least}(CAST(? AS DOUBLE PRECISION), tokens + 1) WHERE key = ?`,
      [limit.burst, key],
    );
  }

  pruneAttempts(beforeMs: number): Promise<number> {
    return this.sql.run('DELETE FROM attempt_buckets WHERE at_ms < ?', [beforeMs]);
  }

  /** The smaller of two numbers: a function of two arguments in either dialect. */
  private get least() {
    return this.sql.dialect.name === 'postgres' ? 'LEAST' : 'MIN';
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await first<SessionRow>(this.sql, 'SELECT * FROM sessions WHERE id_hash = ?', [
      idHash,
    ]);
    return row && sessionOf(row);
  }

  async touchSession(idHash: string, atMs: number): Promise<void> {
    await this.sql.run('UPDATE sessions SET last_seen_ms = ? WHERE id_hash = ?', [atMs, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.sql.run('DELETE FROM sessions WHERE id_hash = ?', [idHash]);
  }

  deleteUserSessions(userId: string): Promise<number> {
    return this.sql.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
  }

  pruneSessions(idleBeforeMs: number, createdBeforeMs: number): Promise<number> {
    return this.sql.run('DELETE FROM sessions WHERE last_seen_ms < ? OR created_ms < ?', [
      idleBeforeMs,
      createdBeforeMs,
    ]);
  }

  async createToken(
    t: Omit<ApiTokenRecord, 'id' | 'revokedMs'> & { hash: string },
  ): Promise<ApiTokenRecord> {
    const [row] = await this.sql.all<TokenRow>(
      `INSERT INTO api_tokens (id, hash, name, org_id, store_id, role, created_ms, created_by, expires_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        randomUUID(),
        t.hash,
        t.name,
        t.orgId,
        t.storeId ?? null,
        t.role,
        t.createdMs,
        t.createdBy,
        t.expiresMs,
      ],
    );
    return tokenOf(row!);
  }

  async findToken(hash: string): Promise<ApiTokenRecord | undefined> {
    const row = await first<TokenRow>(this.sql, 'SELECT * FROM api_tokens WHERE hash = ?', [hash]);
    return row && tokenOf(row);
  }

  async listTokens(orgId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.sql.all<TokenRow>(
      'SELECT * FROM api_tokens WHERE org_id = ? ORDER BY created_ms, id',
      [orgId],
    );
    return rows.map(tokenOf);
  }

  async revokeToken(id: string, atMs: number): Promise<ApiTokenRecord | undefined> {
    // The first revocation's time stays: a second revoke changes nothing.
    const row = await first<TokenRow>(
      this.sql,
      'UPDATE api_tokens SET revoked_ms = coalesce(revoked_ms, ?) WHERE id = ? RETURNING *',
      [atMs, id],
    );
    return row && tokenOf(row);
  }
}

/** A session joined with its person, their organisation and one of their grants. */
type HolderRow = SessionRow &
  UserRow & {
    session_created_ms: number;
    org_disabled: boolean | number;
    grant_role: string | null;
    grant_org_id: string | null;
    grant_store_id: string | null;
    grant_group_id: string | null;
  };
