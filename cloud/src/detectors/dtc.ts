import type { Detector } from './detector.js';
import { type Detected, type Evidence, type RaisedCondition, unchanged } from './findings.js';

/**
 * Diagnostic trouble codes: the edge reports the full set of active codes whenever it reads
 * them (a troubleCodes event). A code that appears raises a `dtc` condition keyed by the code;
 * a code that is no longer reported clears it. Pure.
 *
 * Severity follows the code's system (SAE J2012): powertrain codes of the misfire group
 * (P0300–P0309: unburnt fuel can destroy the catalyst) and network-communication codes (U0xxx:
 * modules not talking) are critical; everything else is a warning.
 *
 * What a service advisor reads is the alert list, and each alert is work: so the list shows a
 * vehicle's trouble, not every report of it.
 * - At most `maxCodeAlerts` codes of a vehicle have an alert of their own at a time, critical
 *   codes first. The codes beyond share one alert (key `more`: "and K more", listing them),
 *   open while any reported code has no alert of its own. A real fault rarely sets more than
 *   a handful of codes; a failing bus or power supply sets dozens at once (every module
 *   loses its neighbours), which are one problem, not dozens of jobs.
 * - A vehicle raises at most `alertsPerDay` DTC alerts a day (a budget that grows back
 *   evenly over the day, to a day's worth). A code that comes and goes (an intermittent
 *   fault, a loose connector, or a device alternating code sets on purpose) would otherwise
 *   raise an alert at every return. Past the budget, codes without an alert of their own are
 *   summarised (when the budget still has room for that) or wait for room; every report
 *   stays in the vehicle's events. The budget runs on the gateway's clock (when it received
 *   each report), which a device cannot move.
 * Both bound the alerts one device can cause: open ones to maxCodeAlerts + 1, raised ones to
 * alertsPerDay a day after the first day's alertsPerDay.
 */

export interface DtcLimits {
  /** Codes of one vehicle with an alert of their own at a time. */
  readonly maxCodeAlerts: number;
  /** DTC alerts one vehicle may raise a day. */
  readonly alertsPerDay: number;
}

export const defaultDtcLimits: DtcLimits = { maxCodeAlerts: 8, alertsPerDay: 24 };

export interface DtcState {
  /** The codes the vehicle reports now, sorted. */
  readonly active: readonly string[];
  /**
   * Active codes with an alert of their own, sorted. Absent in state saved before the limits:
   * then every active code had one.
   */
  readonly alerted?: readonly string[];
  /** Whether the alert of the codes beyond the own ones (`more`) is open. */
  readonly summarised?: boolean;
  /** Alerts the vehicle may still raise, and when (gateway time) that was counted. */
  readonly budget?: { readonly alerts: number; readonly atMs: number };
}

export interface TroubleCodesReport {
  readonly codes: readonly string[];
  /** When the vehicle read them (its clock): the time of the alerts. */
  readonly timeMs: number;
  /** When the gateway received the report: the budget's clock. */
  readonly receivedAtMs: number;
}

/** The key of the alert of the codes beyond the own ones; no trouble code looks like it. */
export const MORE_CODES = 'more';

/** Codes listed in the summary's evidence; its count says how many there are. */
const LISTED = 16;

const DAY_MS = 86_400_000;

export function dtc(limits: DtcLimits = defaultDtcLimits) {
  const initial: DtcState = { active: [] };
  return {
    initial,
    step(state: DtcState, report: TroubleCodesReport): Detected<DtcState> {
      const { timeMs } = report;
      const now = [...new Set(report.codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
      const reported = new Set(now);
      const alerted = state.alerted ?? state.active;
      let budget = refilled(state.budget, report.receivedAtMs, limits.alertsPerDay);
      const spend = () => {
        if (budget.alerts < 1) return false;
        budget = { ...budget, alerts: budget.alerts - 1 };
        return true;
      };

      const cleared = alerted.filter((code) => !reported.has(code));
      const own = alerted.filter((code) => reported.has(code));
      const mine = new Set(own);
      const raised: RaisedCondition[] = [];
      for (const code of now.filter((c) => !mine.has(c)).sort(byUrgency)) {
        if (own.length >= limits.maxCodeAlerts || !spend()) break;
        own.push(code);
        mine.add(code);
        raised.push({
          type: 'dtc',
          key: code,
          severity: severityOf(code),
          timeMs,
          evidence: { code },
          clearsWhen: `the vehicle no longer reports ${code}`,
        });
      }

      const rest = now.filter((c) => !mine.has(c)).sort(byUrgency);
      let summarised = state.summarised === true;
      const clearedKeys = [...cleared];
      if (rest.length > 0 && !summarised && spend()) {
        summarised = true;
        raised.push({
          type: 'dtc',
          key: MORE_CODES,
          severity: rest.some((c) => severityOf(c) === 'critical') ? 'critical' : 'warning',
          timeMs,
          evidence: {
            count: rest.length,
            codes: rest.slice(0, LISTED).join(' '),
          },
          clearsWhen:
            'every trouble code the vehicle reports has an alert of its own, or none is reported',
        });
      } else if (rest.length === 0 && summarised) {
        summarised = false;
        clearedKeys.push(MORE_CODES);
      }

      return {
        state: {
          active: now.sort(),
          alerted: own.sort(),
          summarised,
          budget,
        },
        findings: {
          raised,
          cleared: clearedKeys.map((key) => ({
            type: 'dtc' as const,
            key,
            timeMs,
            evidence: (key === MORE_CODES ? {} : { code: key }) as Evidence,
          })),
        },
      };
    },
  };
}

export function dtcDetector(limits: DtcLimits = defaultDtcLimits): Detector<DtcState, 'dtc'> {
  const rule = dtc(limits);
  return {
    key: 'dtc',
    initial: () => rule.initial,
    event: (state, e, receivedAtMs) =>
      e.payload.kind === 'troubleCodes'
        ? rule.step(state, { codes: e.payload.codes, timeMs: e.timeMs, receivedAtMs })
        : unchanged(state),
  };
}

/**
 * The budget at `atMs`: it grows back by a day's worth over a day, never past it; a report
 * received earlier than the last one counted (another gateway's clock) adds nothing.
 */
function refilled(
  budget: DtcState['budget'],
  atMs: number,
  perDay: number,
): { alerts: number; atMs: number } {
  if (!budget) return { alerts: perDay, atMs };
  if (!(atMs > budget.atMs)) return budget;
  return {
    alerts: Math.min(perDay, budget.alerts + ((atMs - budget.atMs) * perDay) / DAY_MS),
    atMs,
  };
}

function severityOf(code: string): 'critical' | 'warning' {
  return /^P030\d$/.test(code) || /^U0/.test(code) ? 'critical' : 'warning';
}

/** Critical codes first, then by code. */
const byUrgency = (a: string, b: string) =>
  Number(severityOf(b) === 'critical') - Number(severityOf(a) === 'critical') ||
  (a < b ? -1 : a > b ? 1 : 0);
