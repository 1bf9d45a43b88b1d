import { RecordsRejectedError } from '../../errors.js';
import type { SqlDialect } from './sql.js';

/**
 * The records' schema, as versioned forward-only migrations: one list for both dialects, each
 * migration's statements written once with the few types that differ filled in per dialect.
 * An adapter applies the ones its database has not had when it opens, all in one transaction
 * under a lock (sqlite/migrate.ts, postgres/migrate.ts), and records each in
 * `schema_migrations`. Never edit or reorder one that has shipped: add the next.
 *
 * Times are epoch ms (BIGINT). Ids are text: the adapter makes UUIDs, and a lookup by an id
 * that is not one must find nothing rather than fail. Free text (names, plates) is never in
 * an index: PostgreSQL's btree refuses an entry over about 2.7 kB.
 */

export interface Migration {
  readonly version: number;
  /** What it does, recorded beside its version. */
  readonly name: string;
  /** Its statements, separated by semicolons. */
  sql(dialect: SqlDialect['name']): string;
}

/** Where the dialects' DDL differs. */
const ddl = {
  postgres: {
    json: 'jsonb',
    // Text compares by code point on both (SQLite's BINARY is UTF-8 byte order), whatever
    // the database's locale: lists come out in the same order from either adapter.
    text: 'TEXT COLLATE "C"',
    sequence: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  },
  sqlite: { json: 'TEXT', text: 'TEXT', sequence: 'INTEGER PRIMARY KEY' },
} as const;

type Ddl = (typeof ddl)[SqlDialect['name']];

/** Migration 1, first part: organisations, their stores, owners and groups; people and grants. */
const organisationsAndPeople = (t: Ddl) => `
CREATE TABLE organisations (
  id ${t.text} PRIMARY KEY, name ${t.text} NOT NULL, kind ${t.text} NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false, created_ms BIGINT NOT NULL);
CREATE TABLE stores (
  id ${t.text} PRIMARY KEY,
  org_id ${t.text} NOT NULL CONSTRAINT stores_org_fk REFERENCES organisations (id),
  name ${t.text} NOT NULL, code ${t.text} NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false, created_ms BIGINT NOT NULL,
  CONSTRAINT stores_code_unique UNIQUE (org_id, code),
  CONSTRAINT stores_org_id_unique UNIQUE (org_id, id));
CREATE TABLE customers (
  id ${t.text} PRIMARY KEY,
  org_id ${t.text} NOT NULL CONSTRAINT customers_org_fk REFERENCES organisations (id),
  kind ${t.text} NOT NULL, name ${t.text} NOT NULL, mobile ${t.text}, created_ms BIGINT NOT NULL,
  CONSTRAINT customers_org_id_unique UNIQUE (org_id, id));
CREATE INDEX customers_by_mobile ON customers (org_id, mobile);
CREATE TABLE vehicle_groups (
  id ${t.text} PRIMARY KEY,
  org_id ${t.text} NOT NULL CONSTRAINT vehicle_groups_org_fk REFERENCES organisations (id),
  name ${t.text} NOT NULL, created_ms BIGINT NOT NULL,
  CONSTRAINT vehicle_groups_org_id_unique UNIQUE (org_id, id));
CREATE TABLE users (
  id ${t.text} PRIMARY KEY,
  org_id ${t.text} NOT NULL CONSTRAINT users_org_fk REFERENCES organisations (id),
  name ${t.text} NOT NULL, username ${t.text}, mobile ${t.text}, password_hash ${t.text} NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false, must_change_password BOOLEAN NOT NULL,
  created_ms BIGINT NOT NULL,
  CONSTRAINT users_username_unique UNIQUE (username),
  CONSTRAINT users_mobile_unique UNIQUE (mobile));
CREATE INDEX users_by_org ON users (org_id);
CREATE TABLE grants (
  user_id ${t.text} NOT NULL CONSTRAINT grants_user_fk REFERENCES users (id),
  role ${t.text} NOT NULL,
  org_id ${t.text} NOT NULL CONSTRAINT grants_org_fk REFERENCES organisations (id),
  store_id ${t.text}, group_id ${t.text},
  CONSTRAINT grants_store_fk FOREIGN KEY (org_id, store_id) REFERENCES stores (org_id, id),
  CONSTRAINT grants_group_fk FOREIGN KEY (org_id, group_id) REFERENCES vehicle_groups (org_id, id),
  CONSTRAINT grants_one_scope CHECK (store_id IS NULL OR group_id IS NULL));
CREATE UNIQUE INDEX grants_unique ON grants (user_id, role, org_id, coalesce(store_id, ''), coalesce(group_id, ''));`;

/** Migration 1, second part: vehicles, their shares and groups; sessions, tokens, audit. */
const vehiclesAccessAudit = (t: Ddl) => `
CREATE TABLE vehicles (
  id ${t.text} PRIMARY KEY,
  org_id ${t.text} NOT NULL CONSTRAINT vehicles_org_fk REFERENCES organisations (id),
  vin ${t.text} NOT NULL, plate ${t.text}, make ${t.text}, model ${t.text}, year INTEGER,
  device_id ${t.text}, home_store_id ${t.text} NOT NULL, customer_id ${t.text},
  disabled BOOLEAN NOT NULL DEFAULT false, created_ms BIGINT NOT NULL,
  CONSTRAINT vehicles_vin_unique UNIQUE (vin),
  CONSTRAINT vehicles_device_unique UNIQUE (device_id),
  CONSTRAINT vehicles_home_store_fk FOREIGN KEY (org_id, home_store_id) REFERENCES stores (org_id, id),
  CONSTRAINT vehicles_customer_fk FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id));
CREATE INDEX vehicles_by_org ON vehicles (org_id);
CREATE INDEX vehicles_by_home_store ON vehicles (home_store_id);
CREATE INDEX vehicles_by_customer ON vehicles (customer_id);
CREATE TABLE vehicle_shares (
  vehicle_id ${t.text} NOT NULL CONSTRAINT vehicle_shares_vehicle_fk REFERENCES vehicles (id),
  store_id ${t.text} NOT NULL CONSTRAINT vehicle_shares_store_fk REFERENCES stores (id),
  PRIMARY KEY (vehicle_id, store_id));
CREATE INDEX vehicle_shares_by_store ON vehicle_shares (store_id, vehicle_id);
CREATE TABLE group_members (
  group_id ${t.text} NOT NULL CONSTRAINT group_members_group_fk REFERENCES vehicle_groups (id),
  vehicle_id ${t.text} NOT NULL CONSTRAINT group_members_vehicle_fk REFERENCES vehicles (id),
  PRIMARY KEY (group_id, vehicle_id));
CREATE INDEX group_members_by_vehicle ON group_members (vehicle_id, group_id);
CREATE TABLE sessions (
  id_hash ${t.text} PRIMARY KEY,
  user_id ${t.text} NOT NULL CONSTRAINT sessions_user_fk REFERENCES users (id),
  csrf_token ${t.text} NOT NULL, created_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL,
  address ${t.text} NOT NULL);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_ms);
CREATE INDEX sessions_by_created ON sessions (created_ms);
CREATE TABLE api_tokens (
  id ${t.text} PRIMARY KEY, hash ${t.text} NOT NULL, name ${t.text} NOT NULL,
  org_id ${t.text} NOT NULL CONSTRAINT api_tokens_org_fk REFERENCES organisations (id),
  store_id ${t.text}, role ${t.text} NOT NULL, created_ms BIGINT NOT NULL, created_by ${t.text} NOT NULL,
  expires_ms BIGINT NOT NULL, revoked_ms BIGINT,
  CONSTRAINT api_tokens_hash_unique UNIQUE (hash),
  CONSTRAINT api_tokens_store_fk FOREIGN KEY (org_id, store_id) REFERENCES stores (org_id, id));
CREATE INDEX api_tokens_by_org ON api_tokens (org_id, created_ms);
CREATE TABLE audit (
  seq ${t.sequence}, id ${t.text} NOT NULL, org_id ${t.text}, at_ms BIGINT NOT NULL,
  actor ${t.text} NOT NULL, action ${t.text} NOT NULL, target ${t.text}, address ${t.text}, detail ${t.json} NOT NULL);
CREATE INDEX audit_by_org_time ON audit (org_id, at_ms, seq);`;

/**
 * Migration 2: the alert book, moved here from the telemetry database (whose alert tables stay
 * as they were, unread). Its lists are by time, newest first, narrowed by device (a vehicle's
 * alerts, and a scope's: alerts joined with vehicles by device) or by state (the open ones).
 */
const alerts = (t: Ddl) => `
CREATE TABLE alerts (
  alert_id ${t.text} PRIMARY KEY, device_id ${t.text} NOT NULL, type ${t.text} NOT NULL,
  severity ${t.text} NOT NULL, condition_key ${t.text} NOT NULL, raised_ms BIGINT NOT NULL,
  evidence ${t.json} NOT NULL, clears_when ${t.text} NOT NULL,
  state ${t.text} NOT NULL CONSTRAINT alerts_state_known CHECK (state IN ('open', 'acknowledged', 'resolved')),
  cleared_ms BIGINT, acknowledged_ms BIGINT, acknowledged_by ${t.text}, resolved_ms BIGINT,
  resolved_by ${t.text});
CREATE INDEX alerts_by_device ON alerts (device_id, raised_ms);
CREATE INDEX alerts_by_state ON alerts (state, raised_ms);
CREATE INDEX alerts_by_time ON alerts (raised_ms);`;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'organisations, stores, people and grants, vehicles and owners, sessions, tokens, audit',
    sql: (dialect) => organisationsAndPeople(ddl[dialect]) + vehiclesAccessAudit(ddl[dialect]),
  },
  { version: 2, name: 'the alert book', sql: (dialect) => alerts(ddl[dialect]) },
  {
    version: 3,
    name: 'sign-in attempt buckets, shared by every process',
    sql: (dialect) => `
CREATE TABLE attempt_buckets (
  key ${ddl[dialect].text} PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, at_ms BIGINT NOT NULL);
CREATE INDEX attempt_buckets_by_time ON attempt_buckets (at_ms);`,
  },
];

/** The table that records which migrations a database has had. */
export const schemaMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;

/**
 * The migrations a database that has had `applied` still needs, in order. A database that has
 * had a version this code does not know was migrated by a newer Fleetline: opening it could
 * misread or damage what that version wrote, so it is refused (for good, until this
 * installation is upgraded too).
 */
export function pendingMigrations(
  applied: readonly number[],
  where: string,
  known: readonly Migration[] = migrations,
): Migration[] {
  const knownVersions = new Set(known.map((m) => m.version));
  const unknown = applied.filter((v) => !knownVersions.has(v)).sort((a, b) => a - b);
  if (unknown.length > 0) {
    const latest = Math.max(0, ...knownVersions);
    throw new RecordsRejectedError(
      `${where} has schema version ${unknown.join(', ')}, newer than this version of Fleetline knows (up to ${latest}): upgrade Fleetline, or point it at the database this version used`,
      { unknownVersions: unknown, knownUpTo: latest },
    );
  }
  const done = new Set(applied);
  return known.filter((m) => !done.has(m.version));
}
