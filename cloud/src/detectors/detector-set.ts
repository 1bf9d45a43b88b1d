import type { Detector, DetectorInput, DetectorStates } from './detector.js';
import { type Detected, type Findings, mergeFindings } from './findings.js';

/**
 * A list of detectors behind one function: the vehicle actor keeps the state (and snapshots
 * it), feeds each input through `detect` and acts on the findings. The state is plain data,
 * one entry per detector, under the detector's key; an input goes to every detector with a
 * handler for it, in the list's order, which is the order of their findings.
 *
 * Snapshots outlive the code that wrote them: `restore` takes a saved state from any list of
 * detectors, keeps the entry of each detector that exists, starts a detector with no entry
 * from its initial state (it was added since), and drops entries of detectors that are gone.
 * Pure.
 */

/** A saved state brought to the list's detectors (see above). */
export interface RestoredDetectors<S = DetectorStates> {
  readonly state: S;
  /** Detectors that had no state saved and start from their initial one. */
  readonly filled: readonly string[];
  /** Saved states of detectors that no longer exist. */
  readonly dropped: readonly string[];
}

export interface DetectorSet<S extends DetectorStates = DetectorStates> {
  initial(): S;
  restore(saved: unknown): RestoredDetectors<S>;
  detect(state: S, input: DetectorInput): Detected<S>;
}

export function detectorSet<const L extends readonly Detector[]>(
  detectors: L,
): DetectorSet<DetectorStates<L>> {
  type S = DetectorStates<L>;
  const keys = new Set<string>();
  for (const d of detectors) {
    if (keys.has(d.key)) throw new Error(`two detectors have the key ${JSON.stringify(d.key)}`);
    keys.add(d.key);
  }
  const initial = (): S => {
    const state: Record<string, unknown> = {};
    for (const d of detectors) state[d.key] = d.initial();
    return state as S;
  };
  return {
    initial,

    restore(saved: unknown): RestoredDetectors<S> {
      const fresh: Record<string, unknown> = initial();
      const entries = isRecord(saved) ? saved : {};
      const state: Record<string, unknown> = {};
      const filled: string[] = [];
      for (const [name, start] of Object.entries(fresh)) {
        const kept = entries[name];
        // Every detector's state is a plain object; anything else is not its state.
        if (isRecord(kept)) state[name] = kept;
        else {
          state[name] = start;
          filled.push(name);
        }
      }
      const dropped = Object.keys(entries).filter((name) => !(name in fresh));
      return { state: state as S, filled, dropped };
    },

    detect(state: S, input: DetectorInput): Detected<S> {
      const states: Record<string, unknown> = state;
      const next: Record<string, unknown> = { ...states };
      const found: Findings[] = [];
      // Sorted once, for every detector: a batch holds one series per signal, and the
      // detectors that combine signals (low battery, collision) need them interleaved by time.
      const given =
        input.kind === 'telemetry'
          ? { ...input, samples: [...input.samples].sort((a, b) => a.timeMs - b.timeMs) }
          : input;
      for (const d of detectors) {
        const r = handle(d, states[d.key], given);
        if (!r) continue;
        next[d.key] = r.state;
        found.push(r.findings);
      }
      return { state: next as S, findings: mergeFindings(found) };
    },
  };
}

/** The input through the detector's handler for it; undefined: the detector has none. */
function handle(d: Detector, state: unknown, input: DetectorInput): Detected<unknown> | undefined {
  switch (input.kind) {
    case 'telemetry':
      return d.samples?.(state, input.samples, input.receivedAtMs);
    case 'event':
      return d.event?.(state, input.event, input.receivedAtMs);
    case 'tick':
      return d.tick?.(state, input.nowMs);
    case 'seen':
      return d.seen?.(state, input.timeMs);
    case 'plan':
    case 'serviced':
      return d.service?.(state, input);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
