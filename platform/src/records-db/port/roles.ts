/**
 * Roles and what each may do. A grant gives a role organisation-wide, in one store, or (fleet
 * managers) over one vehicle group; what a grant covers and what its role permits together
 * decide every answer the API gives.
 */

export type Role =
  | 'org_admin'
  | 'store_manager'
  | 'service_advisor'
  | 'insurance_clerk'
  | 'fleet_manager'
  | 'viewer';

/** Something a person may do, to the vehicles (and their data) a grant covers. */
export type Permission =
  /** See the vehicle: its record, owner, connection and latest state. */
  | 'vehicle.read'
  /** Read its history: positions, samples, events. */
  | 'telemetry.read'
  /** See its alerts, live and past. */
  | 'alert.read'
  /** Acknowledge and resolve its alerts. */
  | 'alert.handle'
  /** See its maintenance plan and service history. */
  | 'service.read'
  /** Set its maintenance plan and record services. */
  | 'service.write'
  /** Add, change and disable stores, vehicles, owners and groups. */
  | 'records.manage'
  /** Add, change and disable people and their roles; reset passwords. */
  | 'users.manage'
  /** Create and revoke API tokens. */
  | 'tokens.manage'
  /** Read the audit trail. */
  | 'audit.read';

export interface RoleInfo {
  readonly role: Role;
  /** Where the role may be granted. */
  readonly scopes: readonly ('organisation' | 'store' | 'group')[];
  readonly permissions: readonly Permission[];
  /** What it is for, in a sentence (the README and `fleetline users roles` print it). */
  readonly doc: string;
}

const readAll: Permission[] = ['vehicle.read', 'telemetry.read', 'alert.read', 'service.read'];

/** Every role, in the order people are shown them. */
export const roles: readonly RoleInfo[] = [
  {
    role: 'org_admin',
    scopes: ['organisation'],
    permissions: [
      ...readAll,
      'alert.handle',
      'service.write',
      'records.manage',
      'users.manage',
      'tokens.manage',
      'audit.read',
    ],
    doc: 'Runs the organisation: its stores, people, roles, tokens, vehicles and owners; sees and does everything in it and reads the audit trail.',
  },
  {
    role: 'store_manager',
    scopes: ['organisation', 'store'],
    permissions: [...readAll, 'alert.handle', 'service.write', 'records.manage'],
    doc: 'Runs a store: its vehicles and owners, alarms, maintenance plans and services.',
  },
  {
    role: 'service_advisor',
    scopes: ['organisation', 'store'],
    permissions: [...readAll, 'alert.handle', 'service.write'],
    doc: 'Handles collision alarms and maintenance: acknowledges and resolves alarms, sets plans, records services.',
  },
  {
    role: 'insurance_clerk',
    scopes: ['organisation', 'store'],
    permissions: ['vehicle.read', 'alert.read', 'service.read'],
    doc: 'Works on policies and renewals: sees the vehicles, their owners and alarms, not their tracks.',
  },
  {
    role: 'fleet_manager',
    scopes: ['organisation', 'group'],
    permissions: [...readAll, 'alert.handle'],
    doc: 'Watches a leasing company’s fleet: sees only the vehicles of the groups granted, handles their alarms.',
  },
  {
    role: 'viewer',
    scopes: ['organisation', 'store', 'group'],
    permissions: readAll,
    doc: 'Reads: vehicles, tracks, alarms and service history, and changes nothing.',
  },
];

export const roleNames: readonly Role[] = roles.map((r) => r.role);

const byRole = new Map(roles.map((r) => [r.role, r]));

/** The role's description; undefined for a name that is not a role. */
export const roleInfo = (role: string): RoleInfo | undefined => byRole.get(role as Role);

/**
 * One role granted to a person (or a token): organisation-wide when neither storeId nor
 * groupId is set, else in that store or over that vehicle group of the organisation.
 */
export interface Grant {
  readonly role: Role;
  readonly orgId: string;
  readonly storeId?: string;
  readonly groupId?: string;
}
