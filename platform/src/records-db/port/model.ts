/**
 * The business records' shapes: organisations and their stores, people and what they may do,
 * car owners, vehicles (a VIN bound to the device installed in it), vehicle groups. Ids are
 * opaque strings the adapter makes (UUIDs); times are epoch ms.
 */

/** What kind of business an organisation is. */
export type OrganisationKind = 'dealer_group' | 'leasing_company' | 'fleet_operator';
export const organisationKinds: readonly OrganisationKind[] = [
  'dealer_group',
  'leasing_company',
  'fleet_operator',
];

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly disabled: boolean;
  readonly createdMs: number;
}

/** A 4S shop (or a leasing company's branch) of an organisation. */
export interface Store {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  /** A short code people type (the CSV import names stores by it); unique in the organisation. */
  readonly code: string;
  readonly disabled: boolean;
  readonly createdMs: number;
}

/** A person who signs in. Logins (username, mobile) are unique across the installation. */
export interface User {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly username?: string;
  /** E.164, e.g. +8613800138000. */
  readonly mobile?: string;
  readonly disabled: boolean;
  /** Set by an administrator's reset: the next sign-in must choose a new password. */
  readonly mustChangePassword: boolean;
  readonly createdMs: number;
}

/** A car owner or a leasing company, as the vehicles' customer. */
export interface Customer {
  readonly id: string;
  readonly orgId: string;
  readonly kind: 'person' | 'company';
  readonly name: string;
  /** E.164. */
  readonly mobile?: string;
  readonly createdMs: number;
}

/** A vehicle as the business knows it. The telemetry knows it only by `deviceId`. */
export interface VehicleRecord {
  readonly id: string;
  readonly orgId: string;
  /** 17 characters, check digit valid (vin.ts). Unique across the installation. */
  readonly vin: string;
  readonly plate?: string;
  readonly make?: string;
  readonly model?: string;
  readonly year?: number;
  /** The device installed in it; unique across the installation. */
  readonly deviceId?: string;
  readonly homeStoreId: string;
  /** Other stores that may see it (not the home store). */
  readonly sharedStoreIds: readonly string[];
  /** The vehicle groups (fleets) it belongs to. */
  readonly groupIds: readonly string[];
  /** Who owns or leases it. */
  readonly customerId?: string;
  readonly disabled: boolean;
  readonly createdMs: number;
}

/** A leasing company's fleet: fleet managers granted on the group see only its vehicles. */
export interface VehicleGroup {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly createdMs: number;
}
