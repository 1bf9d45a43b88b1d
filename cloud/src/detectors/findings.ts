import type { AlertSeverity, AlertType, Evidence } from '@fleetline/proto';

/**
 * What detectors report. A detector is a pure function of its own state and an input (samples
 * in time order, an event, a clock tick): it returns its next state and its findings. A
 * condition is named by (type, key) — the key tells apart conditions of one type on one
 * vehicle, such as two trouble codes — and a detector raises a condition only when it opens,
 * never again while it stays open, and clears it when its clear condition holds.
 */

export type { AlertSeverity, AlertType, Evidence };

export interface RaisedCondition {
  readonly type: AlertType;
  readonly key: string;
  readonly severity: AlertSeverity;
  /** When the condition began (epoch ms). */
  readonly timeMs: number;
  readonly evidence: Evidence;
  /** The clear condition, for the people who read the alert. */
  readonly clearsWhen: string;
  /**
   * Nothing in the data ends this condition (a collision, a driving event): people resolve
   * the alert, and the condition is not kept open, so the next one raises again.
   */
  readonly clearedByPeople?: boolean;
}

export interface ClearedCondition {
  readonly type: AlertType;
  readonly key: string;
  /** When the clear condition was met (epoch ms). */
  readonly timeMs: number;
  readonly evidence: Evidence;
}

export interface Findings {
  readonly raised: readonly RaisedCondition[];
  readonly cleared: readonly ClearedCondition[];
}

export interface Detected<S> {
  readonly state: S;
  readonly findings: Findings;
}

export const noFindings: Findings = { raised: [], cleared: [] };

/** A step that changed nothing and found nothing. */
export const unchanged = <S>(state: S): Detected<S> => ({ state, findings: noFindings });

/** Findings of several steps, in order. */
export function mergeFindings(all: readonly Findings[]): Findings {
  return { raised: all.flatMap((f) => f.raised), cleared: all.flatMap((f) => f.cleared) };
}
