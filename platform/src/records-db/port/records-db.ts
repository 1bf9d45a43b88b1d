import type { AccessBook } from './access.js';
import type { AlertTable } from './alerts.js';
import type { AuditLog } from './audit.js';
import type { OrganisationBook } from './organisations.js';
import type { UserBook } from './users.js';
import type { VehicleBook } from './vehicles.js';

/**
 * The business-records port: organisations, stores, people and roles, sessions and tokens,
 * vehicles and their owners, the alert book, the audit trail — PostgreSQL in production,
 * SQLite embedded. Relational, low-volume, unique keys and transactions; one contract test suite runs
 * against both adapters. The schema is versioned: forward-only migrations, applied when the
 * adapter opens and recorded in the database.
 */
export interface RecordsDb
  extends OrganisationBook,
    UserBook,
    VehicleBook,
    AccessBook,
    AlertTable,
    AuditLog {
  readonly kind: 'postgres' | 'sqlite';
  /**
   * A mark of the records as they are: two calls answer the same mark only if nothing was
   * written in between — through this adapter at all, nor by another connection or process
   * sharing the database more than a millisecond before the second call. What was read after
   * a mark was taken may be answered again while the mark holds. Undefined when the adapter
   * cannot tell without a query of its own (PostgreSQL): then nothing read may be reused.
   */
  changeMark(): string | undefined;
  close(): Promise<void>;
}
