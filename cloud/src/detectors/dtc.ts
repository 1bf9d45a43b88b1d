import type { Detected, Findings } from './findings.js';

/**
 * Diagnostic trouble codes: the edge reports the full set of active codes whenever it reads
 * them (a troubleCodes event). A code that appears raises a `dtc` condition keyed by the code;
 * a code that is no longer reported clears it. Pure.
 *
 * Severity follows the code's system (SAE J2012): powertrain codes of the misfire group
 * (P0300–P0309: unburnt fuel can destroy the catalyst) and network-communication codes (U0xxx:
 * modules not talking) are critical; everything else is a warning.
 */

export interface DtcState {
  readonly active: readonly string[];
}

export const dtc = {
  initial: { active: [] } as DtcState,
  step(state: DtcState, codes: readonly string[], timeMs: number): Detected<DtcState> {
    const now = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))].sort();
    const before = new Set(state.active);
    const after = new Set(now);
    const findings: Findings = {
      raised: now
        .filter((code) => !before.has(code))
        .map((code) => ({
          type: 'dtc' as const,
          key: code,
          severity: isCritical(code) ? ('critical' as const) : ('warning' as const),
          timeMs,
          evidence: { code },
          clearsWhen: `the vehicle no longer reports ${code}`,
        })),
      cleared: state.active
        .filter((code) => !after.has(code))
        .map((code) => ({ type: 'dtc' as const, key: code, timeMs, evidence: { code } })),
    };
    return { state: { active: now }, findings };
  },
};

function isCritical(code: string): boolean {
  return /^P030\d$/.test(code) || /^U0/.test(code);
}
