import type {
  ApiTokenRecord,
  Checked,
  Organisation,
  RecordsDb,
  Role,
  Store,
  User,
  VehicleGroup,
  VehicleRecord,
} from '@fleetline/platform';
import { quoted } from '@fleetline/platform';
import { AdminError, type AdminErrorCode, AdminErrorCodes } from './errors.js';
import { ArgumentError } from './flags.js';

/** One-time passwords: made here, shown once, stored only hashed. */
export interface PasswordTools {
  generate(): string;
  hash(password: string): Promise<string>;
}

/** Issues an API token: the token is returned once; the records keep only its hash. */
export type TokenIssuer = (
  db: RecordsDb,
  request: {
    name: string;
    orgId: string;
    storeId?: string;
    role: Role;
    createdBy: string;
    expiresMs: number;
  },
  nowMs: number,
) => Promise<{ token: string; record: ApiTokenRecord }>;

/** What every administration command works with. */
export interface AdminContext {
  readonly db: RecordsDb;
  readonly passwords: PasswordTools;
  readonly issueToken: TokenIssuer;
  readonly nowMs: () => number;
}

/** The checked value of an option; ArgumentError naming the option and the fix otherwise. */
export function optionValue<T>(flag: string, result: Checked<T, string>): T {
  if (!result.ok) throw new ArgumentError(`${flag}: ${result.reason}`);
  return result.value;
}

/** Appends the audit entry of a change made here: the actor is `cli`. */
export function audit(
  ctx: AdminContext,
  entry: {
    orgId: string;
    action: string;
    target: string;
    detail?: Record<string, string | number | boolean>;
  },
): Promise<void> {
  return ctx.db.appendAudit({
    ...entry,
    actor: 'cli',
    atMs: ctx.nowMs(),
    detail: entry.detail ?? {},
  });
}

const notFound = (what: string, id: string, fix: string): AdminError =>
  new AdminError(AdminErrorCodes.notFound, `no ${what} ${quoted(id)}: ${fix}`);

/** The organisation; refused when it does not exist or (for changes) is disabled. */
export async function requireOrg(
  ctx: AdminContext,
  id: string,
  { enabled = true } = {},
): Promise<Organisation> {
  const org = await ctx.db.getOrganisation(id);
  if (!org) throw notFound('organisation', id, '`fleetline orgs list` shows their ids');
  if (enabled && org.disabled) {
    throw new AdminError(
      AdminErrorCodes.disabled,
      `organisation ${quoted(org.name)} is disabled: \`fleetline orgs enable ${org.id}\` first`,
    );
  }
  return org;
}

/** A store of the organisation, named by its id or its code. */
export async function requireStore(
  ctx: AdminContext,
  orgId: string,
  idOrCode: string,
  { enabled = true } = {},
): Promise<Store> {
  const stores = await ctx.db.listStores(orgId);
  const store = stores.find((s) => s.id === idOrCode) ?? stores.find((s) => s.code === idOrCode);
  if (!store) {
    throw notFound(
      'store',
      idOrCode,
      `the organisation's stores are ${stores.map((s) => s.code).join(', ') || '(none)'}`,
    );
  }
  if (enabled && store.disabled) {
    throw new AdminError(AdminErrorCodes.disabled, `store ${quoted(store.code)} is disabled`);
  }
  return store;
}

/** What `found` finds; a refusal of it names the option the value came from. */
export async function forOption<T>(flag: string, found: Promise<T>): Promise<T> {
  try {
    return await found;
  } catch (err) {
    if (err instanceof AdminError)
      throw new AdminError(err.code as AdminErrorCode, `${flag}: ${err.message}`);
    throw err;
  }
}

/** A vehicle group of the organisation, named by its id or its name. */
export async function requireGroup(
  ctx: AdminContext,
  orgId: string,
  idOrName: string,
): Promise<VehicleGroup> {
  const groups = await ctx.db.listGroups(orgId);
  const group = groups.find((g) => g.id === idOrName) ?? groups.find((g) => g.name === idOrName);
  if (!group) {
    throw notFound(
      'vehicle group',
      idOrName,
      `the organisation's groups are ${groups.map((g) => quoted(g.name)).join(', ') || '(none)'}`,
    );
  }
  return group;
}

export async function requireUser(ctx: AdminContext, id: string): Promise<User> {
  const user = await ctx.db.getUser(id);
  if (!user) throw notFound('user', id, '`fleetline users list --org ID` shows their ids');
  return user;
}

export async function requireVehicle(ctx: AdminContext, id: string): Promise<VehicleRecord> {
  const vehicle = await ctx.db.getVehicle(id);
  if (!vehicle) {
    throw notFound('vehicle', id, '`fleetline vehicles list --org ID` shows their ids');
  }
  return vehicle;
}

/** A vehicle named by its id, its VIN (in any case) or the id of the device installed in it. */
export async function requireVehicleRef(ctx: AdminContext, ref: string): Promise<VehicleRecord> {
  const vehicle =
    (await ctx.db.getVehicle(ref)) ??
    (await ctx.db.getVehicleByVin(ref.trim().toUpperCase())) ??
    (await ctx.db.getVehicleByDevice(ref));
  if (!vehicle) {
    throw notFound(
      'vehicle',
      ref,
      'name it by its id, VIN or device id (`fleetline vehicles list --org ID` shows them)',
    );
  }
  return vehicle;
}

/** Milliseconds as an ISO date and time, for tables. */
export const isoTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
