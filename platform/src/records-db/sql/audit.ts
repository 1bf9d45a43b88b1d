import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditLog, AuditQuery } from '../port/audit.js';
import { type AuditRow, auditOf } from './rows.js';
import type { Sql } from './sql.js';

/**
 * The audit trail, over either dialect. Entries of the same millisecond come back newest
 * first by `seq`, the order they were appended in (ids are random).
 */
export class SqlAudit implements AuditLog {
  constructor(private readonly sql: Sql) {}

  async appendAudit(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO audit (id, org_id, at_ms, actor, action, target, address, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        e.orgId ?? null,
        e.atMs,
        e.actor,
        e.action,
        e.target ?? null,
        e.address ?? null,
        JSON.stringify(e.detail),
      ],
    );
  }

  async listAudit(q: AuditQuery): Promise<AuditEntry[]> {
    const action = q.action === undefined ? '' : ' AND action = ?';
    const rows = await this.sql.all<AuditRow>(
      `SELECT id, org_id, at_ms, actor, action, target, address, detail FROM audit
       WHERE org_id = ? AND at_ms >= ? AND at_ms < ?${action}
       ORDER BY at_ms DESC, seq DESC LIMIT ?`,
      [q.orgId, q.fromMs, q.toMs, ...(q.action === undefined ? [] : [q.action]), q.limit],
    );
    return rows.map(auditOf);
  }
}
