import type { Sample } from '@fleetline/proto';
import type { AlertSeverity, AlertType, Detected, Evidence, Findings } from './findings.js';
import { closedLevel, type LevelRule, type LevelState, stepLevel } from './level.js';

/** A detector for one signal crossing a level (overheat, low fuel), built from a LevelRule. */
export interface LevelDetectorSpec {
  type: AlertType;
  signalId: number;
  rule: LevelRule;
  /** 'high' keeps the highest value as evidence, 'low' the lowest. */
  worst: 'high' | 'low';
  severity(extreme: number): AlertSeverity;
  evidenceName: string;
  clearsWhen: string;
}

export function levelDetector(spec: LevelDetectorSpec) {
  const pick = spec.worst === 'high' ? Math.max : Math.min;
  return {
    initial: closedLevel as LevelState,
    /** Samples of any signals, in time order; only the spec's signal is read. */
    step(state: LevelState, samples: readonly Sample[]): Detected<LevelState> {
      const raised: Findings['raised'][number][] = [];
      const cleared: Findings['cleared'][number][] = [];
      let s = state;
      for (const sample of samples) {
        if (sample.signalId !== spec.signalId) continue;
        const next = stepLevel(spec.rule, s, sample.timeMs, sample.value, pick);
        s = next.state;
        if (next.change?.kind === 'opened') {
          const evidence: Evidence = {
            [spec.evidenceName]: next.change.extreme,
            since: next.change.sinceMs,
          };
          raised.push({
            type: spec.type,
            key: spec.type,
            severity: spec.severity(next.change.extreme),
            timeMs: next.change.sinceMs,
            evidence,
            clearsWhen: spec.clearsWhen,
          });
        } else if (next.change?.kind === 'closed') {
          cleared.push({
            type: spec.type,
            key: spec.type,
            timeMs: sample.timeMs,
            evidence: { [spec.evidenceName]: sample.value },
          });
        }
      }
      return { state: s, findings: { raised, cleared } };
    },
  };
}
