/** The audit trail: who did what, when, from where. Append-only. */

export interface AuditEntry {
  readonly id: string;
  /** The organisation it concerns; absent for a failed sign-in to no known account. */
  readonly orgId?: string;
  readonly atMs: number;
  /** `user:<id>`, `token:<id>`, `cli`, or for a failed sign-in the login tried. */
  readonly actor: string;
  /** What was done, e.g. `session.signin`, `alert.ack`, `user.create`. */
  readonly action: string;
  /** What it was done to, e.g. an alert id or `user:<id>`. */
  readonly target?: string;
  /** The caller's IP address. */
  readonly address?: string;
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditQuery {
  readonly orgId: string;
  /** [fromMs, toMs), newest first. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly action?: string;
  readonly limit: number;
}

export interface AuditLog {
  appendAudit(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
}
