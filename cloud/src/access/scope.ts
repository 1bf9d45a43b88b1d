import {
  type Grant,
  type Permission,
  roleInfo,
  type VehicleRecord,
  type VehicleScope,
} from '@fleetline/platform';

/**
 * What a caller's grants let it do, as pure functions: which vehicles a permission covers
 * (as a VehicleScope the records database answers in one query), and whether it covers one
 * vehicle. A grant covers its organisation's vehicles (organisation-wide), its store's
 * (home or shared), or its group's; its role says what may be done to them.
 */

const permits = (grant: Grant, permission: Permission) =>
  roleInfo(grant.role)?.permissions.includes(permission) ?? false;

/** Whether any grant gives the permission somewhere. */
export const holdsPermission = (grants: readonly Grant[], permission: Permission) =>
  grants.some((g) => permits(g, permission));

/** The vehicles the permission reaches through these grants. */
export function scopeFor(grants: readonly Grant[], permission: Permission): VehicleScope {
  const orgIds = new Set<string>();
  const storeIds = new Set<string>();
  const groupIds = new Set<string>();
  for (const g of grants) {
    if (!permits(g, permission)) continue;
    if (g.storeId !== undefined) storeIds.add(g.storeId);
    else if (g.groupId !== undefined) groupIds.add(g.groupId);
    else orgIds.add(g.orgId);
  }
  return { orgIds: [...orgIds], storeIds: [...storeIds], groupIds: [...groupIds] };
}

/** Whether the grants give the permission on this vehicle. */
export function coversVehicle(
  grants: readonly Grant[],
  permission: Permission,
  vehicle: Pick<VehicleRecord, 'orgId' | 'homeStoreId' | 'sharedStoreIds' | 'groupIds'>,
): boolean {
  return grants.some((g) => {
    if (!permits(g, permission)) return false;
    // Store and group ids are unique across organisations, but a grant never reaches
    // outside its own organisation's records, whatever ids it names.
    if (g.storeId !== undefined) {
      return g.storeId === vehicle.homeStoreId || vehicle.sharedStoreIds.includes(g.storeId);
    }
    if (g.groupId !== undefined) return vehicle.groupIds.includes(g.groupId);
    return g.orgId === vehicle.orgId;
  });
}

/** The organisations in which the grants give the permission organisation-wide. */
export const organisationsFor = (grants: readonly Grant[], permission: Permission): string[] => [
  ...new Set(
    grants
      .filter((g) => permits(g, permission) && g.storeId === undefined && g.groupId === undefined)
      .map((g) => g.orgId),
  ),
];
