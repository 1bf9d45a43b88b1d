import type { Sample, VehicleEvent } from '@fleetline/proto';
import type { Detected } from './findings.js';
import type { ServicePlan } from './maintenance.js';

/**
 * The one shape of a vehicle detector. A detector owns one entry of the vehicle's detector
 * state, named by its `key`, and says which inputs it takes by the handlers it has; each
 * handler is a pure function of its state and the input, returning its next state and its
 * findings (findings.ts). The detectors of a vehicle are a list (vehicle.ts); detector-set.ts
 * runs an input through every detector of the list in its order, keeps their states keyed by
 * detector, and restores them from snapshots.
 *
 * The key is the detector's entry in every snapshot: a detector whose state layout changes
 * takes a new key, so its old state is dropped rather than misread.
 */

/** What a vehicle actor feeds its detectors, one input at a time. */
export type DetectorInput =
  /** A telemetry batch's samples, and when the gateway received it. */
  | { kind: 'telemetry'; samples: readonly Sample[]; receivedAtMs: number }
  | { kind: 'event'; event: VehicleEvent; receivedAtMs: number }
  /** The clock, for conditions that come from time passing (offline, service by date). */
  | { kind: 'tick'; nowMs: number }
  | ServiceChange
  /** The vehicle was heard from without data (it came online). */
  | { kind: 'seen'; timeMs: number };

/** A change made by people (`service.v1`): a service done, or a new service plan. */
export type ServiceChange =
  | { kind: 'serviced'; timeMs: number; odometerKm: number }
  | { kind: 'plan'; timeMs: number; plan: ServicePlan };

export interface Detector<S = unknown, K extends string = string> {
  /** The detector's entry in the vehicle's detector state and in its snapshots. */
  readonly key: K;
  /** The state of a vehicle the detector has seen nothing of. */
  initial(): S;
  /**
   * A telemetry batch: samples of every signal in time order (sorted once for every
   * detector: detectors that combine signals need them interleaved by time).
   */
  samples?(state: S, samples: readonly Sample[], receivedAtMs: number): Detected<S>;
  /** An event of the vehicle's edge agent (collision, trouble codes, …). */
  event?(state: S, event: VehicleEvent, receivedAtMs: number): Detected<S>;
  /** The clock. */
  tick?(state: S, nowMs: number): Detected<S>;
  /** The vehicle was heard from without data. */
  seen?(state: S, timeMs: number): Detected<S>;
  /** A service done or a service plan changed. */
  service?(state: S, change: ServiceChange): Detected<S>;
}

/** The state of the detectors of a list, keyed by detector. */
export type DetectorStates<L extends readonly Detector[] = readonly Detector[]> = {
  readonly [D in L[number] as D['key']]: D extends Detector<infer S, string> ? S : never;
};
