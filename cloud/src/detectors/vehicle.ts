import { type Sample, signalId, type VehicleEvent } from '@fleetline/proto';
import { type CollisionState, collision } from './collision.js';
import { type DtcLimits, type DtcState, dtc } from './dtc.js';
import { type Detected, type Findings, mergeFindings } from './findings.js';
import { type HarshDrivingState, harshDriving } from './harsh-driving.js';
import type { LevelState } from './level.js';
import { type LowBatteryState, lowBattery } from './low-battery.js';
import { lowFuel } from './low-fuel.js';
import {
  defaultServicePlan,
  type MaintenanceState,
  maintenance,
  type ServicePlan,
} from './maintenance.js';
import { type OfflineState, offline } from './offline.js';
import { overheat } from './overheat.js';

/**
 * Every detector of one vehicle, behind one function: the vehicle actor keeps the state (and
 * snapshots it), feeds each input through `detectVehicle` and acts on the findings. The
 * state is plain data, one entry per detector.
 *
 * Snapshots outlive the code that wrote them: `restore` takes a saved state from any set of
 * detectors, keeps the entry of each detector that exists, starts a detector with no entry
 * from its initial state (it was added since), and drops entries of detectors that are gone.
 * A detector whose state layout changes takes a new entry name, so its old state is dropped
 * rather than misread.
 */

export interface VehicleDetectorState {
  readonly overheat: LevelState;
  readonly lowFuel: LevelState;
  readonly lowBattery: LowBatteryState;
  readonly harshDriving: HarshDrivingState;
  readonly collision: CollisionState;
  readonly dtc: DtcState;
  readonly maintenance: MaintenanceState;
  readonly offline: OfflineState;
}

export type VehicleInput =
  /** A telemetry batch's samples, and when the gateway received it. */
  | { kind: 'telemetry'; samples: readonly Sample[]; receivedAtMs: number }
  | { kind: 'event'; event: VehicleEvent; receivedAtMs: number }
  /** The clock, for conditions that come from time passing (offline, service by date). */
  | { kind: 'tick'; nowMs: number }
  | { kind: 'serviced'; timeMs: number; odometerKm: number }
  /** The vehicle was heard from without data (it came online). */
  | { kind: 'seen'; timeMs: number }
  /** The vehicle's service plan changed. */
  | { kind: 'plan'; timeMs: number; plan: ServicePlan };

/** A saved state brought to today's detectors (see above). */
export interface RestoredDetectors {
  readonly state: VehicleDetectorState;
  /** Detectors that had no state saved and start from their initial one. */
  readonly filled: readonly string[];
  /** Saved states of detectors that no longer exist. */
  readonly dropped: readonly string[];
}

export interface VehicleDetectorOptions {
  servicePlan?: ServicePlan;
  offlineAfterMs?: number;
  /** How many trouble-code alerts a vehicle may have open and raise a day (dtc.ts). */
  dtcLimits?: DtcLimits;
}

const ODOMETER = signalId('Vehicle.TraveledDistance');

export function vehicleDetectors(options: VehicleDetectorOptions = {}) {
  const harsh = harshDriving();
  const silent = offline(options.offlineAfterMs);
  const troubleCodes = dtc(options.dtcLimits);
  const initial = (): VehicleDetectorState => ({
    overheat: overheat.initial,
    lowFuel: lowFuel.initial,
    lowBattery: lowBattery.initial,
    harshDriving: harsh.initial,
    collision: collision.initial(),
    dtc: troubleCodes.initial,
    maintenance: maintenance.initial(options.servicePlan ?? defaultServicePlan),
    offline: silent.initial,
  });
  return {
    initial,

    restore(saved: unknown): RestoredDetectors {
      const fresh = initial();
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
      return { state: state as unknown as VehicleDetectorState, filled, dropped };
    },

    detect(state: VehicleDetectorState, input: VehicleInput): Detected<VehicleDetectorState> {
      const found: Findings[] = [];
      const take = <S>(r: Detected<S>): S => {
        found.push(r.findings);
        return r.state;
      };
      let s = state;
      switch (input.kind) {
        case 'telemetry': {
          // Once, for every detector: a batch holds one series per signal, and the detectors
          // that combine signals (low battery, collision) need them interleaved by time.
          const samples = [...input.samples].sort((a, b) => a.timeMs - b.timeMs);
          s = {
            ...s,
            overheat: take(overheat.step(s.overheat, samples)),
            lowFuel: take(lowFuel.step(s.lowFuel, samples)),
            lowBattery: take(lowBattery.step(s.lowBattery, samples)),
            harshDriving: take(harsh.step(s.harshDriving, samples)),
            collision: take(collision.samples(s.collision, samples)),
          };
          let m = s.maintenance;
          for (const sample of samples) {
            if (sample.signalId !== ODOMETER) continue;
            m = take(
              maintenance.step(m, { kind: 'odometer', timeMs: sample.timeMs, km: sample.value }),
            );
          }
          s = {
            ...s,
            maintenance: m,
            offline: take(silent.step(s.offline, { kind: 'seen', timeMs: input.receivedAtMs })),
          };
          break;
        }
        case 'event': {
          const { event } = input;
          if (event.payload.kind === 'collision') {
            s = {
              ...s,
              collision: take(
                collision.event(
                  s.collision,
                  event.seq,
                  event.timeMs,
                  event.payload.collision,
                  event.seqEpoch,
                ),
              ),
            };
          } else if (event.payload.kind === 'troubleCodes') {
            s = {
              ...s,
              dtc: take(
                troubleCodes.step(s.dtc, {
                  codes: event.payload.codes,
                  timeMs: event.timeMs,
                  receivedAtMs: input.receivedAtMs,
                }),
              ),
            };
          }
          s = {
            ...s,
            offline: take(silent.step(s.offline, { kind: 'seen', timeMs: input.receivedAtMs })),
          };
          break;
        }
        case 'tick':
          s = {
            ...s,
            maintenance: take(
              maintenance.step(s.maintenance, { kind: 'tick', timeMs: input.nowMs }),
            ),
            offline: take(silent.step(s.offline, { kind: 'tick', timeMs: input.nowMs })),
          };
          break;
        case 'seen':
          s = {
            ...s,
            offline: take(silent.step(s.offline, { kind: 'seen', timeMs: input.timeMs })),
          };
          break;
        case 'plan':
          s = {
            ...s,
            maintenance: take(
              maintenance.step(s.maintenance, {
                kind: 'plan',
                timeMs: input.timeMs,
                plan: input.plan,
              }),
            ),
          };
          break;
        case 'serviced':
          s = {
            ...s,
            maintenance: take(
              maintenance.step(s.maintenance, {
                kind: 'serviced',
                timeMs: input.timeMs,
                odometerKm: input.odometerKm,
              }),
            ),
          };
          break;
      }
      return { state: s, findings: mergeFindings(found) };
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
