import { signalId } from '@fleetline/proto';
import type { Detector } from './detector.js';
import { type Detected, type Findings, mergeFindings, type RaisedCondition } from './findings.js';

/**
 * Maintenance due, by distance or time since the last service, whichever comes first, against
 * the vehicle's service plan. `maintenance_due` opens as info when the service is coming up
 * (within `aheadKm` or `aheadDays`), and a second condition, `overdue`, opens as a warning
 * once the interval has passed. Recording a service clears both. Pure.
 */

export interface ServicePlan {
  readonly intervalKm: number;
  readonly intervalDays: number;
  readonly aheadKm: number;
  readonly aheadDays: number;
}

export const defaultServicePlan: ServicePlan = {
  intervalKm: 10_000,
  intervalDays: 365,
  aheadKm: 500,
  aheadDays: 14,
};

export interface MaintenanceState {
  readonly plan: ServicePlan;
  /** The last service; until one is recorded, the first odometer reading and its time. */
  readonly lastService?: { readonly odometerKm: number; readonly timeMs: number };
  readonly odometerKm?: number;
  readonly open: readonly ('due' | 'overdue')[];
}

const DAY_MS = 86_400_000;

export type MaintenanceInput =
  | { kind: 'odometer'; timeMs: number; km: number }
  | { kind: 'tick'; timeMs: number }
  | { kind: 'serviced'; timeMs: number; odometerKm: number }
  | { kind: 'plan'; timeMs: number; plan: ServicePlan };

export const maintenance = {
  initial(plan: ServicePlan = defaultServicePlan): MaintenanceState {
    return { plan, open: [] };
  },
  step(state: MaintenanceState, input: MaintenanceInput): Detected<MaintenanceState> {
    if (input.kind === 'serviced') {
      const findings: Findings = {
        raised: [],
        cleared: state.open.map((key) => ({
          type: 'maintenance_due' as const,
          key,
          timeMs: input.timeMs,
          evidence: { servicedAtKm: input.odometerKm },
        })),
      };
      return {
        state: {
          ...state,
          lastService: { odometerKm: input.odometerKm, timeMs: input.timeMs },
          open: [],
        },
        findings,
      };
    }
    let s = state;
    if (input.kind === 'plan') {
      // A new plan may close what the old one opened (a longer interval) or open more.
      s = { ...s, plan: input.plan };
      const still = conditionsMet(s, input.timeMs);
      const cleared = s.open.filter((key) => !still.includes(key));
      if (cleared.length > 0) {
        const after = step(
          { ...s, open: s.open.filter((key) => still.includes(key)) },
          input.timeMs,
          input.timeMs,
        );
        return {
          state: after.state,
          findings: {
            raised: after.findings.raised,
            cleared: cleared.map((key) => ({
              type: 'maintenance_due' as const,
              key,
              timeMs: input.timeMs,
              evidence: {
                intervalKm: input.plan.intervalKm,
                intervalDays: input.plan.intervalDays,
              },
            })),
          },
        };
      }
      return step(s, input.timeMs, input.timeMs);
    }
    if (input.kind === 'odometer') {
      s = {
        ...s,
        odometerKm: Math.max(s.odometerKm ?? input.km, input.km), // odometers never go back
        lastService: s.lastService ?? { odometerKm: input.km, timeMs: input.timeMs },
      };
    }
    return step(s, input.timeMs, input.kind === 'tick' ? undefined : input.timeMs);
  },
};

const ODOMETER = signalId('Vehicle.TraveledDistance');

/** The odometer readings of telemetry, the clock, and services and plans recorded. */
export function maintenanceDetector(
  plan: ServicePlan = defaultServicePlan,
): Detector<MaintenanceState, 'maintenance'> {
  return {
    key: 'maintenance',
    initial: () => maintenance.initial(plan),
    samples(state, samples) {
      let s = state;
      const found: Findings[] = [];
      for (const sample of samples) {
        if (sample.signalId !== ODOMETER) continue;
        const r = maintenance.step(s, {
          kind: 'odometer',
          timeMs: sample.timeMs,
          km: sample.value,
        });
        s = r.state;
        found.push(r.findings);
      }
      return { state: s, findings: mergeFindings(found) };
    },
    tick: (state, nowMs) => maintenance.step(state, { kind: 'tick', timeMs: nowMs }),
    service: (state, change) => maintenance.step(state, change),
  };
}

const thresholds = (p: ServicePlan) =>
  [
    {
      key: 'due',
      severity: 'info',
      km: p.intervalKm - p.aheadKm,
      days: p.intervalDays - p.aheadDays,
    },
    { key: 'overdue', severity: 'warning', km: p.intervalKm, days: p.intervalDays },
  ] as const;

/** The conditions the plan says are met at nowMs. */
function conditionsMet(s: MaintenanceState, nowMs: number): ('due' | 'overdue')[] {
  if (!s.lastService || s.odometerKm === undefined) return [];
  const km = s.odometerKm - s.lastService.odometerKm;
  const days = (nowMs - s.lastService.timeMs) / DAY_MS;
  return thresholds(s.plan)
    .filter((t) => km >= t.km || days >= t.days)
    .map((t) => t.key);
}

/**
 * Raises the conditions met at nowMs that are not open. A condition raised by data (an
 * odometer reading, a plan change) is raised at that data's time; one a clock tick finds due
 * by date is raised at the moment it became due, so every tick — on whichever processor, after
 * whichever restart — raises it with the same time, and so the same alert id.
 */
function step(
  s: MaintenanceState,
  nowMs: number,
  dataTimeMs: number | undefined,
): Detected<MaintenanceState> {
  const last = s.lastService;
  if (!last || s.odometerKm === undefined)
    return { state: s, findings: { raised: [], cleared: [] } };
  const km = s.odometerKm - last.odometerKm;
  const days = (nowMs - last.timeMs) / DAY_MS;
  const raised: RaisedCondition[] = [];
  const open = [...s.open];
  for (const t of thresholds(s.plan)) {
    if (open.includes(t.key) || !(km >= t.km || days >= t.days)) continue;
    const timeMs = dataTimeMs ?? (km >= t.km ? nowMs : last.timeMs + t.days * DAY_MS);
    open.push(t.key);
    raised.push({
      type: 'maintenance_due',
      key: t.key,
      severity: t.severity,
      timeMs,
      evidence: {
        kmSinceService: Math.round(km),
        daysSinceService: Math.floor((timeMs - last.timeMs) / DAY_MS),
        intervalKm: s.plan.intervalKm,
        intervalDays: s.plan.intervalDays,
      },
      clearsWhen: 'a service is recorded for the vehicle',
    });
  }
  return { state: { ...s, open }, findings: { raised, cleared: [] } };
}
