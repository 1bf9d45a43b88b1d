import { RecordConflictError, RecordsRejectedError } from '../../errors.js';

/**
 * The schema's constraints (sql/migrations.ts) by the input field they guard, so that a
 * refused write names the field the caller sent. PostgreSQL names the constraint that failed;
 * SQLite names the columns of a unique one (`UNIQUE constraint failed: users.username`) and
 * nothing of a foreign key — the adapters' failure modules read what each gives.
 */

interface UniqueRule {
  /** PostgreSQL's name of the constraint. */
  readonly constraint: string;
  /** SQLite's naming of its columns. */
  readonly columns: string;
  readonly field: string;
  readonly message: string;
}

const uniqueRules: readonly UniqueRule[] = [
  {
    constraint: 'users_username_unique',
    columns: 'users.username',
    field: 'username',
    message: 'username is taken: another account signs in with it',
  },
  {
    constraint: 'users_mobile_unique',
    columns: 'users.mobile',
    field: 'mobile',
    message: 'mobile is taken: another account signs in with it',
  },
  {
    constraint: 'vehicles_vin_unique',
    columns: 'vehicles.vin',
    field: 'vin',
    message: 'vin is taken: another vehicle has it',
  },
  {
    constraint: 'vehicles_device_unique',
    columns: 'vehicles.device_id',
    field: 'deviceId',
    message: 'deviceId is taken: the device is bound to another vehicle',
  },
  {
    constraint: 'stores_code_unique',
    columns: 'stores.org_id, stores.code',
    field: 'code',
    message: 'code is taken: the organisation has a store of that code',
  },
  {
    constraint: 'api_tokens_hash_unique',
    columns: 'api_tokens.hash',
    field: 'hash',
    message: 'hash is taken: another token has it',
  },
  {
    constraint: 'sessions_pkey',
    columns: 'sessions.id_hash',
    field: 'idHash',
    message: 'idHash is taken: a session has that id',
  },
];

/** Foreign keys by PostgreSQL's name: the field that refers, and to what. */
const foreignKeys: Readonly<Record<string, readonly [field: string, what: string]>> = {
  stores_org_fk: ['orgId', 'an organisation'],
  customers_org_fk: ['orgId', 'an organisation'],
  vehicle_groups_org_fk: ['orgId', 'an organisation'],
  users_org_fk: ['orgId', 'an organisation'],
  grants_user_fk: ['userId', 'a user'],
  grants_org_fk: ['orgId', 'an organisation'],
  grants_store_fk: ['storeId', 'a store of the organisation'],
  grants_group_fk: ['groupId', 'a vehicle group of the organisation'],
  vehicles_org_fk: ['orgId', 'an organisation'],
  vehicles_home_store_fk: ['homeStoreId', 'a store of the organisation'],
  vehicles_customer_fk: ['customerId', 'a customer of the organisation'],
  vehicle_shares_vehicle_fk: ['vehicleId', 'a vehicle'],
  vehicle_shares_store_fk: ['storeId', 'a store'],
  group_members_group_fk: ['groupId', 'a vehicle group'],
  group_members_vehicle_fk: ['vehicleId', 'a vehicle'],
  sessions_user_fk: ['userId', 'a user'],
  api_tokens_org_fk: ['orgId', 'an organisation'],
  api_tokens_store_fk: ['storeId', 'a store of the organisation'],
};

/** The conflict for a unique constraint, found by PostgreSQL's name or SQLite's columns. */
export function uniqueConflict(
  by: { constraint: string } | { columns: string },
  cause: unknown,
): RecordConflictError {
  const rule = uniqueRules.find((r) =>
    'constraint' in by ? r.constraint === by.constraint : r.columns === by.columns,
  );
  const error = rule
    ? new RecordConflictError(rule.message, rule.field)
    : new RecordConflictError(
        `a record like it exists already (${'constraint' in by ? by.constraint : by.columns})`,
        'constraint' in by ? by.constraint : by.columns,
      );
  error.cause = cause;
  return error;
}

/**
 * The refusal of a reference to nothing (a store of no organisation, a vehicle's home store in
 * another organisation), naming the field when the database names the constraint.
 */
export function missingReference(
  constraint: string | undefined,
  where: string,
  cause: unknown,
): RecordsRejectedError {
  const known = constraint === undefined ? undefined : foreignKeys[constraint];
  const message = known
    ? `${known[0]} must be the id of ${known[1]}`
    : 'a reference names no record: an id given (organisation, store, user, vehicle, group, customer) does not exist, or belongs to another organisation';
  return new RecordsRejectedError(`${where}: ${message}`, {
    cause,
    ...(known ? { field: known[0] } : {}),
  });
}
