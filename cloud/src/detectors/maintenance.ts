import type { Detected, Findings, RaisedCondition } from './findings.js';

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
  | { kind: 'serviced'; timeMs: number; odometerKm: number };

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
    if (input.kind === 'odometer') {
      s = {
        ...s,
        odometerKm: Math.max(s.odometerKm ?? input.km, input.km), // odometers never go back
        lastService: s.lastService ?? { odometerKm: input.km, timeMs: input.timeMs },
      };
    }
    if (!s.lastService || s.odometerKm === undefined)
      return { state: s, findings: { raised: [], cleared: [] } };
    const p = s.plan;
    const km = s.odometerKm - s.lastService.odometerKm;
    const days = (input.timeMs - s.lastService.timeMs) / DAY_MS;
    const evidence = {
      kmSinceService: Math.round(km),
      daysSinceService: Math.floor(days),
      intervalKm: p.intervalKm,
      intervalDays: p.intervalDays,
    };
    const raised: RaisedCondition[] = [];
    const open = [...s.open];
    const raise = (key: 'due' | 'overdue', severity: 'info' | 'warning') => {
      if (open.includes(key)) return;
      open.push(key);
      raised.push({
        type: 'maintenance_due',
        key,
        severity,
        timeMs: input.timeMs,
        evidence,
        clearsWhen: 'a service is recorded for the vehicle',
      });
    };
    if (km >= p.intervalKm - p.aheadKm || days >= p.intervalDays - p.aheadDays)
      raise('due', 'info');
    if (km >= p.intervalKm || days >= p.intervalDays) raise('overdue', 'warning');
    return { state: { ...s, open }, findings: { raised, cleared: [] } };
  },
};
