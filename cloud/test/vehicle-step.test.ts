import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import type { DetectorInput } from '../src/detectors/detector.js';
import { detectorSet } from '../src/detectors/detector-set.js';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import type { TelemetryMessage, VehicleMessage } from '../src/vehicle-messages.js';
import { freshState, type VehicleActorState } from '../src/vehicle-snapshot.js';
import { type StepContext, type Stepped, step } from '../src/vehicle-step.js';

/**
 * The vehicle actor's behaviour without I/O: one message through the state — duplicates by
 * seq and by status time, telemetry put back in order for the detectors, restarts of the
 * device's counter, the clock — and the rows and alert changes it leaves to be stored.
 */

const SPEED = signalId('Vehicle.Speed');
const COOLANT = signalId('Vehicle.Powertrain.CombustionEngine.ECT');
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

const ctx: StepContext = {
  deviceId: 'veh',
  detectors: vehicleDetectors({ offlineAfterMs: 3_600_000 }),
  reorderWindowMs: 30_000,
};

const telemetry = (seq: number, value = seq, epoch?: number): TelemetryMessage => ({
  kind: 'telemetry',
  batch: {
    deviceId: 'veh',
    seq,
    ...(epoch === undefined ? {} : { seqEpoch: epoch }),
    baseTimeMs: t0 + seq * 1000,
    samples: [{ deviceId: 'veh', signalId: SPEED, timeMs: t0 + seq * 1000, value }],
  },
  receivedAtMs: t0 + seq * 1000 + 200,
});

/** Runs messages through step() from `state`, as the actor does, keeping every result. */
function run(messages: readonly VehicleMessage[], c = ctx, state = freshState(c.detectors)) {
  const results: Stepped[] = [];
  let s: VehicleActorState = state;
  for (const m of messages) {
    const r = step(s, m, c);
    results.push(r);
    if (!r.duplicate) s = r.state;
  }
  return { state: s, results };
}

const handled = (r: Stepped | undefined) => {
  if (!r || r.duplicate) throw new Error('expected a handled message');
  return r;
};

/** A context whose only detector notes the telemetry it sees, in order (sample values). */
function noting() {
  const seen: number[] = [];
  const c: StepContext = {
    ...ctx,
    detectors: detectorSet([
      {
        key: 'notes',
        initial: () => ({}),
        samples: (state, samples) => {
          seen.push(...samples.map((s) => s.value));
          return { state, findings: { raised: [], cleared: [] } };
        },
      },
    ]),
  };
  return { c, seen };
}

describe('a vehicle step', () => {
  it('should store a telemetry batch’s samples, hear the vehicle, and skip the same seq again', () => {
    const { results, state } = run([telemetry(1, 42), telemetry(1, 42)]);
    const first = handled(results[0]);
    expect(first.effects).toEqual({
      alerts: [],
      samples: [{ deviceId: 'veh', signalId: SPEED, timeMs: t0 + 1000, value: 42 }],
      events: [],
      heardAtMs: t0 + 1200,
    });
    expect(first.changed).toBe(true);
    expect(results[1]).toEqual({ duplicate: true });
    expect(state.streams[0]?.telemetry.seqs).toEqual({ ranges: [[1, 1]] });
  });

  it('should store an event with its detail as JSON, and hear the vehicle', () => {
    const r = handled(
      step(
        freshState(ctx.detectors),
        {
          kind: 'event',
          event: {
            deviceId: 'veh',
            seq: 3,
            timeMs: t0,
            payload: { kind: 'troubleCodes', codes: ['P0217'] },
          },
          receivedAtMs: t0 + 100,
        },
        ctx,
      ),
    );
    expect(r.effects.events).toEqual([
      { deviceId: 'veh', seq: 3, timeMs: t0, kind: 'troubleCodes', detail: '["P0217"]' },
    ]);
    expect(r.effects.heardAtMs).toBe(t0 + 100);
    expect(r.effects.alerts.map((a) => `${a.type}:${a.conditionKey}:${a.transition}`)).toEqual([
      'dtc:P0217:raised',
    ]);
  });

  it('should keep the newest status only; online hears the vehicle, its last will does not', () => {
    const status = (state: 'online' | 'offline', timeMs: number): VehicleMessage => ({
      kind: 'status',
      status: { deviceId: 'veh', timeMs, state, agentVersion: '1.0.0' },
      receivedAtMs: timeMs + 50,
    });
    const { results, state } = run([
      status('online', t0),
      status('offline', t0 + 10),
      status('online', t0 + 5),
    ]);
    const online = handled(results[0]);
    expect(online.effects.status).toEqual({
      deviceId: 'veh',
      timeMs: t0,
      state: 'online',
      agentVersion: '1.0.0',
    });
    expect(online.effects.heardAtMs).toBe(t0 + 50);
    expect(online.state.detectors.offline).toEqual({ lastSeenMs: t0 + 50, open: false });
    const offline = handled(results[1]);
    expect(offline.effects.heardAtMs).toBeUndefined();
    expect(offline.state.detectors).toBe(online.state.detectors);
    expect(results[2]).toEqual({ duplicate: true });
    expect(state.statusTimeMs).toBe(t0 + 10);
  });

  it('should not ask for a save after a tick that changes nothing, and raise offline at one that finds silence', () => {
    const heard = run([telemetry(1)]).state;
    const quiet = handled(step(heard, { kind: 'tick', nowMs: t0 + 60_000 }, ctx));
    expect(quiet.changed).toBe(false);
    expect(quiet.effects).toEqual({ alerts: [], samples: [], events: [] });
    const silent = handled(step(heard, { kind: 'tick', nowMs: t0 + 2 * 3_600_000 }, ctx));
    expect(silent.changed).toBe(true);
    expect(silent.effects.alerts.map((a) => `${a.type}:${a.transition}`)).toEqual([
      'offline:raised',
    ]);
    expect(silent.state.openAlerts).toHaveProperty('offline/offline');
  });

  it('should hold telemetry behind a gap for the detectors, and store it at once', () => {
    const { c, seen } = noting();
    const { results } = run([telemetry(1), telemetry(3), telemetry(2)], c);
    // Stored when it came; detected once the gap below it closed.
    expect(handled(results[1]).effects.samples.map((s) => s.value)).toEqual([3]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('should let what waited go on after the window, at a clock tick', () => {
    const { c, seen } = noting();
    const { state } = run([telemetry(1), telemetry(3)], c);
    expect(seen).toEqual([1]);
    const r = handled(step(state, { kind: 'tick', nowMs: t0 + 3000 + 200 + 30_000 }, c));
    expect(seen).toEqual([1, 3]);
    expect(r.changed).toBe(true); // two inputs: the batch let go, and the tick
    expect(r.state.reorder).toEqual({ next: 4, held: [] });
  });

  it('should report a counter that started again, and let the old stream’s waiting batches go first', () => {
    const { c, seen } = noting();
    const { results } = run([telemetry(1, 1, 7), telemetry(3, 3, 7), telemetry(1, 100, 8)], c);
    expect(handled(results[2]).restart).toEqual({ reason: 'new-epoch', epoch: 8, seq: 1 });
    expect(seen).toEqual([1, 3, 100]);
    expect(handled(results[1]).restart).toBeUndefined();
  });

  it('should give a service change to the detectors', () => {
    const r = handled(
      step(
        run([telemetry(1)]).state,
        { kind: 'service', input: { kind: 'serviced', timeMs: t0 + 5000, odometerKm: 1200 } },
        ctx,
      ),
    );
    expect(r.state.detectors.maintenance).toMatchObject({
      lastService: { odometerKm: 1200, timeMs: t0 + 5000 },
    });
    expect(r.changed).toBe(true);
  });

  it('should be pure: leave the state it met alone, and throw without effects when a detector does', () => {
    const state = run([telemetry(1), telemetry(3)]).state;
    const before = JSON.stringify(state);
    run([telemetry(2), { kind: 'tick', nowMs: t0 + 10 * 3_600_000 }], ctx, state);
    expect(JSON.stringify(state)).toBe(before);

    const throwing: StepContext = {
      ...ctx,
      detectors: {
        ...ctx.detectors,
        detect(s, input: DetectorInput) {
          if (input.kind === 'telemetry') throw new TypeError('detector bug');
          return ctx.detectors.detect(s, input);
        },
      },
    };
    expect(() => step(state, telemetry(2), throwing)).toThrow('detector bug');
    expect(JSON.stringify(state)).toBe(before);
  });

  it('should save alert changes in the state’s open alerts and clear them by data', () => {
    const coolant = (seq: number, values: number[]): TelemetryMessage => ({
      kind: 'telemetry',
      batch: {
        deviceId: 'veh',
        seq,
        baseTimeMs: t0 + seq * 100_000,
        samples: values.map((value, i) => ({
          deviceId: 'veh',
          signalId: COOLANT,
          timeMs: t0 + seq * 100_000 + i * 10_000,
          value,
        })),
      },
      receivedAtMs: t0 + seq * 100_000 + 90_000,
    });
    const { results, state } = run([
      coolant(1, [115, 115, 115, 115, 115]),
      coolant(2, [95, 95, 95, 95, 95, 95, 95, 95]),
    ]);
    expect(handled(results[0]).effects.alerts.map((a) => `${a.type}:${a.transition}`)).toEqual([
      'overheat:raised',
    ]);
    expect(handled(results[1]).effects.alerts.map((a) => `${a.type}:${a.transition}`)).toEqual([
      'overheat:cleared',
    ]);
    expect(state.openAlerts).toEqual({});
  });
});
