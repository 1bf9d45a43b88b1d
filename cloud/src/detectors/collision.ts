import {
  type Collision,
  type CrashRuleState,
  crashRuleAcceleration,
  crashRuleDefaults,
  crashRuleSpeed,
  crashRuleState,
  type Sample,
  signalId,
} from '@fleetline/proto';
import type { Detector } from './detector.js';
import { type Detected, type RaisedCondition, unchanged } from './findings.js';

/**
 * Collisions, from two sources:
 * - the edge's collision event, which is confirmed as an alert (its own detection ran on the
 *   full-rate accelerometer);
 * - the acceleration samples of agents that do not detect collisions themselves (older
 *   agents), through the same crash rule the edge uses (@fleetline/proto's crash-rule).
 * One crash is one alert: a detection within `matchMs` of one already raised, from either
 * source, is the same crash (an agent that detects also sends its samples; the two arrive on
 * different topics in either order). A redelivered event is recognised by its seq. Pure apart
 * from the rule state, which is plain data updated in place (see the crash rule).
 */

const SPEED = signalId('Vehicle.Speed');
const LONGITUDINAL = signalId('Vehicle.Acceleration.Longitudinal');
const LATERAL = signalId('Vehicle.Acceleration.Lateral');

/** Crashes closer than this are one crash. */
const MATCH_MS = 10_000;
/** How long raised crashes are remembered for matching. */
const REMEMBER_MS = 120_000;

export interface CollisionState {
  readonly rule: CrashRuleState;
  readonly recent: readonly { readonly timeMs: number; readonly key: string }[];
}

const severityOf = (s: Collision['severity']) => (s === 'severe' ? 'critical' : 'warning');
const CLEARS_WHEN = 'a collision: resolved when someone acknowledges and closes it';

export const collision = {
  initial(): CollisionState {
    return { rule: crashRuleState(), recent: [] };
  },

  /**
   * Samples in time order across signals (the rule integrates acceleration over time; the
   * vehicle's detectors sort each batch once for all detectors).
   */
  samples(state: CollisionState, samples: readonly Sample[]): Detected<CollisionState> {
    // The rule's state is mutated in place by design (the edge runs it per sample); a copy
    // keeps this step pure, so a batch that throws half-way leaves the state it met intact.
    const rule = copyRule(state.rule);
    let recent = state.recent;
    const raised: RaisedCondition[] = [];
    for (const s of samples) {
      if (s.signalId !== SPEED && s.signalId !== LONGITUDINAL && s.signalId !== LATERAL) continue;
      if (s.signalId === SPEED) {
        crashRuleSpeed(rule, crashRuleDefaults, s.timeMs, s.value);
        continue;
      }
      const hit = crashRuleAcceleration(
        rule,
        crashRuleDefaults,
        s.timeMs,
        s.signalId === LONGITUDINAL ? { longitudinal: s.value } : { lateral: s.value },
      );
      if (!hit || matches(recent, hit.timeMs)) continue;
      const key = `samples-${hit.timeMs}`;
      recent = remember(recent, hit.timeMs, key);
      raised.push({
        type: 'collision',
        key,
        severity: severityOf(hit.severity),
        timeMs: hit.timeMs,
        evidence: {
          source: 'acceleration samples',
          peakG: hit.peakG,
          deltaVKmh: hit.deltaVKmh,
          direction: hit.direction,
          speedBeforeKmh: hit.speedBeforeKmh,
        },
        clearsWhen: CLEARS_WHEN,
        clearedByPeople: true,
      });
    }
    return { state: { rule, recent }, findings: { raised, cleared: [] } };
  },

  /**
   * The edge's collision event ((epoch, seq) names it; epoch 0: a device that sends none, whose
   * key stays what it always was, so its alert ids do not change).
   */
  event(
    state: CollisionState,
    seq: number,
    timeMs: number,
    c: Collision,
    epoch = 0,
  ): Detected<CollisionState> {
    const key = epoch ? `edge-${epoch}.${seq}` : `edge-${seq}`;
    if (state.recent.some((r) => r.key === key) || matches(state.recent, timeMs)) {
      return { state, findings: { raised: [], cleared: [] } };
    }
    const evidence: Record<string, number | string> = {
      source: 'edge',
      seq,
      ...(epoch ? { seqEpoch: epoch } : {}),
      peakG: c.peakG,
      deltaVKmh: c.deltaVKmh,
      direction: c.direction,
      speedBeforeKmh: c.speedBeforeKmh,
    };
    if (c.latitude !== undefined) evidence.latitude = c.latitude;
    if (c.longitude !== undefined) evidence.longitude = c.longitude;
    return {
      state: { ...state, recent: remember(state.recent, timeMs, key) },
      findings: {
        raised: [
          {
            type: 'collision',
            key,
            severity: severityOf(c.severity),
            timeMs,
            evidence,
            clearsWhen: CLEARS_WHEN,
            clearedByPeople: true,
          },
        ],
        cleared: [],
      },
    };
  },
};

export const collisionDetector: Detector<CollisionState, 'collision'> = {
  key: 'collision',
  initial: () => collision.initial(),
  samples: (state, samples) => collision.samples(state, samples),
  event: (state, e) =>
    e.payload.kind === 'collision'
      ? collision.event(state, e.seq, e.timeMs, e.payload.collision, e.seqEpoch)
      : unchanged(state),
};

function matches(recent: CollisionState['recent'], timeMs: number): boolean {
  return recent.some((r) => Math.abs(r.timeMs - timeMs) < MATCH_MS);
}

function remember(recent: CollisionState['recent'], timeMs: number, key: string) {
  return [...recent.filter((r) => timeMs - r.timeMs < REMEMBER_MS), { timeMs, key }];
}

function copyRule(r: CrashRuleState): CrashRuleState {
  return {
    ...r,
    last: r.last && { ...r.last },
    window: r.window.map((p) => ({ ...p })),
    speeds: r.speeds.map((p) => ({ ...p })),
    pulse: r.pulse && { ...r.pulse },
  };
}
