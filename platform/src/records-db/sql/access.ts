import { randomUUID } from 'node:crypto';
import type { AccessBook, ApiTokenRecord, SessionRecord } from '../port/access.js';
import { type SessionRow, sessionOf, type TokenRow, tokenOf } from './rows.js';
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
