import type { Permission, RecordsDb, VehicleRecord, VehicleScope } from '@fleetline/platform';
import type { Caller } from './caller.js';
import { coversVehicle, holdsPermission, scopeFor } from './scope.js';

/**
 * One request's view of the records: what its caller may see and do. Every question a route
 * asks about another vehicle's data goes through here; nothing in a route decides access by
 * itself.
 */
export class RequestAccess {
  /**
   * On routes of access kind "vehicle": the vehicle their `:deviceId` names, checked. Unset
   * on other routes.
   */
  vehicle!: VehicleRecord;

  constructor(
    readonly caller: Caller,
    private readonly records: RecordsDb,
    /** Identifies the caller again, from what it signed in with (for long-lived streams). */
    private readonly identify: () => Promise<Caller | undefined>,
  ) {}

  /**
   * The caller's access as the records say now: undefined once its session or token is
   * gone; else with its grants as they are now.
   */
  async again(): Promise<RequestAccess | undefined> {
    const caller = await this.identify();
    return caller && new RequestAccess(caller, this.records, this.identify);
  }

  holds = (permission: Permission) => holdsPermission(this.caller.grants, permission);

  /** The vehicle the device is installed in, when the caller has the permission on it. */
  async vehicleOfDevice(
    deviceId: string,
    permission: Permission,
  ): Promise<VehicleRecord | undefined> {
    const vehicle = await this.records.getVehicleByDevice(deviceId);
    return vehicle && coversVehicle(this.caller.grants, permission, vehicle) ? vehicle : undefined;
  }

  /** Whether the caller has the permission on the vehicle the device is installed in. */
  mayAccessDevice = async (deviceId: string, permission: Permission) =>
    (await this.vehicleOfDevice(deviceId, permission)) !== undefined;

  /** The vehicles the caller has the permission on, as the records database filters them. */
  scope = (permission: Permission): VehicleScope => scopeFor(this.caller.grants, permission);

  /** Every vehicle the caller has the permission on (one indexed query). */
  vehicles(permission: Permission): Promise<VehicleRecord[]> {
    const scope = this.scope(permission);
    if (scope.orgIds.length + scope.storeIds.length + scope.groupIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.records.listVehicles(scope);
  }

  /** The devices installed in those vehicles. */
  async deviceIds(permission: Permission): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const v of await this.vehicles(permission)) if (v.deviceId) ids.add(v.deviceId);
    return ids;
  }
}
