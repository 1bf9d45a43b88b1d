import { randomUUID } from 'node:crypto';
import type { User } from '../port/model.js';
import type { Grant } from '../port/roles.js';
import type { NewUser, UserBook } from '../port/users.js';
import { type GrantRow, grantOf, type UserRow, userOf } from './rows.js';
import { first, type Sql } from './sql.js';

/**
 * A grant's store and group as the unique index on grants keys them: '' for none, so that an
 * organisation-wide grant is one row however often it is granted (NULLs are all distinct).
 */
const scopeKey = (g: Grant) => [g.storeId ?? '', g.groupId ?? ''] as const;

/** People, their password hashes and their grants, over either dialect. */
export class SqlUsers implements UserBook {
  constructor(private readonly sql: Sql) {}

  async createUser(input: NewUser): Promise<User> {
    const [row] = await this.sql.all<UserRow>(
      `INSERT INTO users (id, org_id, name, username, mobile, password_hash, must_change_password, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        randomUUID(),
        input.orgId,
        input.name,
        input.username ?? null,
        input.mobile ?? null,
        input.passwordHash,
        input.mustChangePassword,
        Date.now(),
      ],
    );
    return userOf(row!);
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = await first<UserRow>(this.sql, 'SELECT * FROM users WHERE id = ?', [id]);
    return row && userOf(row);
  }

  async findUserByLogin(login: string) {
    // A username that is also another account's mobile number finds the username's owner.
    const row = await first<UserRow>(
      this.sql,
      `SELECT * FROM users WHERE username = ? OR mobile = ?
       ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1`,
      [login, login, login],
    );
    return row && { user: userOf(row), passwordHash: row.password_hash };
  }

  async listUsers(orgId: string): Promise<User[]> {
    const rows = await this.sql.all<UserRow>(
      'SELECT * FROM users WHERE org_id = ? ORDER BY name, id',
      [orgId],
    );
    return rows.map(userOf);
  }

  async setPassword(userId: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.sql.run(
      'UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?',
      [passwordHash, mustChange, userId],
    );
  }

  async setUserDisabled(id: string, disabled: boolean): Promise<User | undefined> {
    const row = await first<UserRow>(
      this.sql,
      'UPDATE users SET disabled = ? WHERE id = ? RETURNING *',
      [disabled, id],
    );
    return row && userOf(row);
  }

  async grantRole(userId: string, grant: Grant): Promise<void> {
    await this.sql.run(
      `INSERT INTO grants (user_id, role, org_id, store_id, group_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [userId, grant.role, grant.orgId, grant.storeId ?? null, grant.groupId ?? null],
    );
  }

  async revokeRole(userId: string, grant: Grant): Promise<boolean> {
    const changed = await this.sql.run(
      `DELETE FROM grants WHERE user_id = ? AND role = ? AND org_id = ?
       AND coalesce(store_id, '') = ? AND coalesce(group_id, '') = ?`,
      [userId, grant.role, grant.orgId, ...scopeKey(grant)],
    );
    return changed > 0;
  }

  async grantsOf(userId: string): Promise<Grant[]> {
    const rows = await this.sql.all<GrantRow>(
      `SELECT role, org_id, store_id, group_id FROM grants WHERE user_id = ?
       ORDER BY org_id, role, coalesce(store_id, ''), coalesce(group_id, '')`,
      [userId],
    );
    return rows.map(grantOf);
  }
}
