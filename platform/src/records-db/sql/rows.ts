import type { ApiTokenRecord, SessionRecord } from '../port/access.js';
import type { AuditEntry } from '../port/audit.js';
import type {
  Customer,
  Organisation,
  OrganisationKind,
  Store,
  User,
  VehicleGroup,
  VehicleRecord,
} from '../port/model.js';
import type { Grant, Role } from '../port/roles.js';

/**
 * The tables' rows as the drivers return them, and the port's records made from them. Both
 * drivers return bigint columns as numbers (the PostgreSQL pool is told to); booleans come as
 * booleans (PostgreSQL) or 0 and 1 (SQLite), JSON as parsed values (PostgreSQL) or text
 * (SQLite) — read here either way. An absent optional field is NULL in a row and left out of
 * the record, never `undefined` in it.
 */

type Flag = boolean | number;
export const flag = (v: Flag) => v === true || v === 1;
/** The key with the value, or nothing when the column is NULL. */
const opt = <K extends string, V>(key: K, v: V | null): { [P in K]?: V } =>
  (v === null ? {} : { [key]: v }) as { [P in K]?: V };
/** A JSON column's value, parsed when the driver gave it as text. */
export const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  disabled: Flag;
  created_ms: number;
}
export const organisationOf = (r: OrganisationRow): Organisation => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  disabled: flag(r.disabled),
  createdMs: r.created_ms,
});

export interface StoreRow {
  id: string;
  org_id: string;
  name: string;
  code: string;
  disabled: Flag;
  created_ms: number;
}
export const storeOf = (r: StoreRow): Store => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  code: r.code,
  disabled: flag(r.disabled),
  createdMs: r.created_ms,
});

export interface CustomerRow {
  id: string;
  org_id: string;
  kind: Customer['kind'];
  name: string;
  mobile: string | null;
  created_ms: number;
}
export const customerOf = (r: CustomerRow): Customer => ({
  id: r.id,
  orgId: r.org_id,
  kind: r.kind,
  name: r.name,
  ...opt('mobile', r.mobile),
  createdMs: r.created_ms,
});

export interface GroupRow {
  id: string;
  org_id: string;
  name: string;
  created_ms: number;
}
export const groupOf = (r: GroupRow): VehicleGroup => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  createdMs: r.created_ms,
});

export interface UserRow {
  id: string;
  org_id: string;
  name: string;
  username: string | null;
  mobile: string | null;
  password_hash: string;
  disabled: Flag;
  must_change_password: Flag;
  created_ms: number;
}
export const userOf = (r: UserRow): User => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  ...opt('username', r.username),
  ...opt('mobile', r.mobile),
  disabled: flag(r.disabled),
  mustChangePassword: flag(r.must_change_password),
  createdMs: r.created_ms,
});

export interface GrantRow {
  role: Role;
  org_id: string;
  store_id: string | null;
  group_id: string | null;
}
export const grantOf = (r: GrantRow): Grant => ({
  role: r.role,
  orgId: r.org_id,
  ...opt('storeId', r.store_id),
  ...opt('groupId', r.group_id),
});

/** A vehicle with its shares and groups, as `vehicleColumns` reads it. */
export interface VehicleRow {
  id: string;
  org_id: string;
  vin: string;
  plate: string | null;
  make: string | null;
  model: string | null;
  year: number | null;
  device_id: string | null;
  home_store_id: string;
  customer_id: string | null;
  disabled: Flag;
  created_ms: number;
  shared: unknown;
  groups: unknown;
}
const sortedIds = (v: unknown) => [...json<string[]>(v)].sort();
export const vehicleOf = (r: VehicleRow): VehicleRecord => ({
  id: r.id,
  orgId: r.org_id,
  vin: r.vin,
  ...opt('plate', r.plate),
  ...opt('make', r.make),
  ...opt('model', r.model),
  ...opt('year', r.year),
  ...opt('deviceId', r.device_id),
  homeStoreId: r.home_store_id,
  sharedStoreIds: sortedIds(r.shared),
  groupIds: sortedIds(r.groups),
  ...opt('customerId', r.customer_id),
  disabled: flag(r.disabled),
  createdMs: r.created_ms,
});

export interface SessionRow {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_ms: number;
  last_seen_ms: number;
  address: string;
}
export const sessionOf = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdMs: r.created_ms,
  lastSeenMs: r.last_seen_ms,
  address: r.address,
});

export interface TokenRow {
  id: string;
  name: string;
  org_id: string;
  store_id: string | null;
  role: Role;
  created_ms: number;
  created_by: string;
  expires_ms: number;
  revoked_ms: number | null;
}
export const tokenOf = (r: TokenRow): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  orgId: r.org_id,
  ...opt('storeId', r.store_id),
  role: r.role,
  createdMs: r.created_ms,
  createdBy: r.created_by,
  expiresMs: r.expires_ms,
  ...opt('revokedMs', r.revoked_ms),
});

export interface AuditRow {
  id: string;
  org_id: string | null;
  at_ms: number;
  actor: string;
  action: string;
  target: string | null;
  address: string | null;
  detail: unknown;
}
export const auditOf = (r: AuditRow): AuditEntry => ({
  id: r.id,
  ...opt('orgId', r.org_id),
  atMs: r.at_ms,
  actor: r.actor,
  action: r.action,
  ...opt('target', r.target),
  ...opt('address', r.address),
  detail: json(r.detail),
});
