import { fleetline } from '../../gen/fleetline.js';
import { assertDeviceId, checkDecodedDeviceId } from '../device-id.js';
import { InvalidMessageError } from '../errors.js';
import { checkText, TEXT_LIMITS } from '../text-limits.js';
import { checkWireTime } from '../time-range.js';
import { decodeWith } from './protobuf.js';

import v1 = fleetline.telemetry.v1;

/** ServiceUpdate (`service.v1`): a vehicle's service plan set, or a service done. */

/** Service every intervalKm or intervalDays, whichever first; "coming up" opens ahead of it. */
export interface ServicePlanValues {
  intervalKm: number;
  intervalDays: number;
  /** At least 0 and less than intervalKm. */
  aheadKm: number;
  /** At least 0 and less than intervalDays. */
  aheadDays: number;
}

/** A service done; the same serviceId is the same service. */
export interface ServiceDone {
  serviceId: string;
  odometerKm: number;
}

export type ServiceChange =
  | { kind: 'plan'; plan: ServicePlanValues }
  | { kind: 'serviced'; serviced: ServiceDone };

/** A change to a vehicle's maintenance, as carried on `service.v1`. */
export interface ServiceUpdate {
  deviceId: string;
  /** When the plan was set, or when the service was done. */
  timeMs: number;
  change: ServiceChange;
}

export function encodeServiceUpdate(u: ServiceUpdate): Uint8Array {
  assertDeviceId(u.deviceId);
  checkWireTime(u.timeMs, 'time_ms');
  const m: v1.ServiceUpdate.$Properties = { deviceId: u.deviceId, timeMs: u.timeMs };
  if (u.change.kind === 'plan') {
    checkPlan(u.change.plan, 'plan');
    const { intervalKm, intervalDays, aheadKm, aheadDays } = u.change.plan;
    m.plan = { intervalKm, intervalDays, aheadKm, aheadDays };
  } else {
    checkServiced(u.change.serviced, 'serviced');
    const { serviceId, odometerKm } = u.change.serviced;
    m.serviced = { serviceId, odometerKm };
  }
  return v1.ServiceUpdate.encode(m).finish();
}

export function decodeServiceUpdate(bytes: Uint8Array): ServiceUpdate {
  const m = decodeWith(v1.ServiceUpdate, bytes, 'ServiceUpdate');
  const where = 'ServiceUpdate';
  checkDecodedDeviceId(m.deviceId, where);
  checkWireTime(m.timeMs, `${where}.time_ms`);
  let change: ServiceChange;
  if (m.plan) {
    const plan: ServicePlanValues = {
      intervalKm: m.plan.intervalKm ?? 0,
      intervalDays: m.plan.intervalDays ?? 0,
      aheadKm: m.plan.aheadKm ?? 0,
      aheadDays: m.plan.aheadDays ?? 0,
    };
    checkPlan(plan, `${where}.plan`);
    change = { kind: 'plan', plan };
  } else if (m.serviced) {
    const serviced: ServiceDone = {
      serviceId: m.serviced.serviceId ?? '',
      odometerKm: m.serviced.odometerKm ?? 0,
    };
    checkServiced(serviced, `${where}.serviced`);
    change = { kind: 'serviced', serviced };
  } else {
    throw new InvalidMessageError(`${where} carries no change (plan or serviced)`);
  }
  return { deviceId: m.deviceId, timeMs: m.timeMs, change };
}

function checkPlan(p: ServicePlanValues, where: string): void {
  for (const [field, value, ahead, aheadField] of [
    ['interval_km', p.intervalKm, p.aheadKm, 'ahead_km'],
    ['interval_days', p.intervalDays, p.aheadDays, 'ahead_days'],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new InvalidMessageError(`${where}.${field} must be a positive number, got ${value}`);
    }
    if (!Number.isFinite(ahead) || ahead < 0 || ahead >= value) {
      throw new InvalidMessageError(
        `${where}.${aheadField} must be at least 0 and less than ${field} (${value}), got ${ahead}`,
      );
    }
  }
}

function checkServiced(s: ServiceDone, where: string): void {
  checkText(s.serviceId, TEXT_LIMITS.serviceId, `${where}.service_id`, { required: true });
  if (!Number.isFinite(s.odometerKm) || s.odometerKm < 0) {
    throw new InvalidMessageError(
      `${where}.odometer_km must be a non-negative number, got ${s.odometerKm}`,
    );
  }
}
