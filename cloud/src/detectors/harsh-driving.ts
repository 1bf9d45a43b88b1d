import { STANDARD_GRAVITY as G, type Sample, signalId } from '@fleetline/proto';
import type { Detector } from './detector.js';
import type { AlertType, Detected, RaisedCondition } from './findings.js';

/**
 * Harsh braking, acceleration and cornering from the vehicle-frame acceleration. A manoeuvre
 * counts when the acceleration stays past its threshold for at least `minDurationMs` (from the
 * first sample past it to the first one back); thresholds are the common telematics ones
 * (about 0.4 g braking, 0.35 g accelerating, 0.45 g cornering). Severity is critical from
 * 0.6 g, where passengers and load are thrown about.
 *
 * A pothole or a kerb is a short shock, past the threshold for a few tens of milliseconds: the
 * duration keeps it out. The event is reported when the manoeuvre ends, with its peak and
 * duration; one of the same kind starting within `lockoutMs` of the last one's end is taken
 * as the same manoeuvre. Each event is its own condition (key: its start time). Pure.
 */

interface Rule {
  type: AlertType;
  signalId: number;
  /** True when a sample is past the threshold. */
  past(a: number): boolean;
  thresholdG: number;
}

const rules: readonly Rule[] = [
  {
    type: 'harsh_braking',
    signalId: signalId('Vehicle.Acceleration.Longitudinal'),
    past: (a) => a <= -0.4 * G,
    thresholdG: 0.4,
  },
  {
    type: 'harsh_acceleration',
    signalId: signalId('Vehicle.Acceleration.Longitudinal'),
    past: (a) => a >= 0.35 * G,
    thresholdG: 0.35,
  },
  {
    type: 'harsh_cornering',
    signalId: signalId('Vehicle.Acceleration.Lateral'),
    past: (a) => Math.abs(a) >= 0.45 * G,
    thresholdG: 0.45,
  },
];

export interface HarshDrivingOptions {
  minDurationMs: number;
  lockoutMs: number;
  criticalG: number;
}

const defaults: HarshDrivingOptions = { minDurationMs: 300, lockoutMs: 5_000, criticalG: 0.6 };

interface Episode {
  startMs: number;
  peakG: number;
}

export interface HarshDrivingState {
  /** The manoeuvre in progress per type, if any. */
  readonly episodes: Readonly<Partial<Record<AlertType, Episode>>>;
  /** When the last counted manoeuvre per type ended. */
  readonly lastEndMs: Readonly<Partial<Record<AlertType, number>>>;
}

export function harshDriving(options: Partial<HarshDrivingOptions> = {}) {
  const o = { ...defaults, ...options };
  return {
    initial: { episodes: {}, lastEndMs: {} } as HarshDrivingState,
    step(state: HarshDrivingState, samples: readonly Sample[]): Detected<HarshDrivingState> {
      const episodes = { ...state.episodes };
      const lastEndMs = { ...state.lastEndMs };
      const raised: RaisedCondition[] = [];
      for (const s of samples) {
        for (const rule of rules) {
          if (s.signalId !== rule.signalId) continue;
          const ep = episodes[rule.type];
          if (rule.past(s.value)) {
            const g = Math.abs(s.value) / G;
            episodes[rule.type] = ep
              ? { startMs: ep.startMs, peakG: Math.max(ep.peakG, g) }
              : { startMs: s.timeMs, peakG: g };
            continue;
          }
          if (!ep) continue;
          delete episodes[rule.type];
          const durationMs = s.timeMs - ep.startMs;
          if (durationMs < o.minDurationMs) continue; // a shock, not a manoeuvre
          const previousEnd = lastEndMs[rule.type];
          lastEndMs[rule.type] = s.timeMs;
          if (previousEnd !== undefined && ep.startMs - previousEnd < o.lockoutMs) continue;
          raised.push({
            type: rule.type,
            key: String(ep.startMs),
            severity: ep.peakG >= o.criticalG ? 'critical' : 'warning',
            timeMs: ep.startMs,
            evidence: { peakG: round(ep.peakG), durationMs, thresholdG: rule.thresholdG },
            clearsWhen: 'a driving event: resolved when acknowledged',
            clearedByPeople: true,
          });
        }
      }
      return { state: { episodes, lastEndMs }, findings: { raised, cleared: [] } };
    },
  };
}

export function harshDrivingDetector(
  options: Partial<HarshDrivingOptions> = {},
): Detector<HarshDrivingState, 'harshDriving'> {
  const rule = harshDriving(options);
  return {
    key: 'harshDriving',
    initial: () => rule.initial,
    samples: (state, samples) => rule.step(state, samples),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
