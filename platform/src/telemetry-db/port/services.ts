/** Vehicles' maintenance: each one's service plan and the services done on it. */

/** A vehicle's maintenance plan: service every intervalKm or intervalDays, whichever first. */
export interface ServicePlanRow {
  readonly deviceId: string;
  readonly intervalKm: number;
  readonly intervalDays: number;
  /** "Coming up" opens this far ahead of the interval. */
  readonly aheadKm: number;
  readonly aheadDays: number;
  readonly updatedMs: number;
  readonly updatedBy: string;
}

/** A service done on a vehicle. */
export interface ServiceRecordRow {
  readonly deviceId: string;
  /** Chosen by whoever records it; recording the same id again changes nothing. */
  readonly serviceId: string;
  readonly timeMs: number;
  readonly odometerKm: number;
  readonly by: string;
  readonly note: string;
}

export interface ServiceTable {
  /** Replaces the vehicle's plan. */
  setServicePlan(plan: ServicePlanRow): Promise<void>;
  getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined>;
  /** Idempotent by (device, serviceId). */
  recordService(record: ServiceRecordRow): Promise<void>;
  /** The vehicle's services, newest first. */
  listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]>;
}
