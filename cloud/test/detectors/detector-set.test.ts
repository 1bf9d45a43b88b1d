import type { ActorSnapshot } from '@fleetline/platform';
import { type AlertChange, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import type { Detector, DetectorInput } from '../../src/detectors/detector.js';
import { detectorSet } from '../../src/detectors/detector-set.js';
import { type Detected, noFindings } from '../../src/detectors/findings.js';
import { vehicleDetectorList } from '../../src/detectors/vehicle.js';
import { VehicleActor, type VehicleEffects } from '../../src/vehicle-actor.js';

/**
 * The Detector list: each detector's state under its key, inputs to the handlers a detector
 * has, in the list's order; and a detector added to the vehicle's list is initialised,
 * snapshotted, restored and stepped by the actor without any other code knowing of it.
 */

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

interface Notes {
  readonly seen: readonly string[];
}

/** A detector that notes the inputs it gets, named `name`, with the handlers listed. */
function noting<K extends string>(
  key: K,
  handlers: readonly ('samples' | 'event' | 'tick' | 'seen' | 'service')[],
): Detector<Notes, K> {
  const note = (state: Notes, what: string): Detected<Notes> => ({
    state: { seen: [...state.seen, what] },
    findings: {
      raised: [
        {
          type: 'overheat',
          key: `${key}:${what}`,
          severity: 'info',
          timeMs: t0,
          evidence: {},
          clearsWhen: 'never',
        },
      ],
      cleared: [],
    },
  });
  const d: Detector<Notes, K> = { key, initial: () => ({ seen: [] }) };
  for (const h of handlers) {
    if (h === 'samples')
      d.samples = (s, samples) => note(s, `samples ${samples.map((x) => x.value).join(',')}`);
    if (h === 'event') d.event = (s, e) => note(s, `event ${e.seq}`);
    if (h === 'tick') d.tick = (s, nowMs) => note(s, `tick ${nowMs}`);
    if (h === 'seen') d.seen = (s, timeMs) => note(s, `seen ${timeMs}`);
    if (h === 'service') d.service = (s, change) => note(s, change.kind);
  }
  return d;
}

describe('detectorSet', () => {
  const inputs: DetectorInput[] = [
    {
      kind: 'telemetry',
      samples: [
        { signalId: SPEED, timeMs: t0 + 2, value: 2 },
        { signalId: SPEED, timeMs: t0 + 1, value: 1 },
      ],
      receivedAtMs: t0,
    },
    {
      kind: 'event',
      event: { deviceId: 'veh', seq: 7, timeMs: t0, payload: { kind: 'troubleCodes', codes: [] } },
      receivedAtMs: t0,
    },
    { kind: 'tick', nowMs: t0 + 9 },
    { kind: 'seen', timeMs: t0 + 3 },
    {
      kind: 'plan',
      timeMs: t0,
      plan: { intervalKm: 1, intervalDays: 1, aheadKm: 0, aheadDays: 0 },
    },
    { kind: 'serviced', timeMs: t0, odometerKm: 5 },
  ];

  it('should keep each detector’s state under its key, from its initial state', () => {
    const set = detectorSet([noting('a', ['samples']), noting('b', ['tick'])]);
    expect(set.initial()).toEqual({ a: { seen: [] }, b: { seen: [] } });
  });

  it('should give each input to the detectors with a handler for it, samples in time order', () => {
    const set = detectorSet([
      noting('all', ['samples', 'event', 'tick', 'seen', 'service']),
      noting('clock', ['tick']),
    ]);
    let state = set.initial();
    for (const input of inputs) state = set.detect(state, input).state;
    expect(state.all.seen).toEqual([
      'samples 1,2',
      'event 7',
      `tick ${t0 + 9}`,
      `seen ${t0 + 3}`,
      'plan',
      'serviced',
    ]);
    expect(state.clock.seen).toEqual([`tick ${t0 + 9}`]);
  });

  it('should report findings in the list’s order and leave the state of detectors not asked alone', () => {
    const set = detectorSet([noting('second', ['tick']), noting('first', ['tick', 'seen'])]);
    const start = set.initial();
    const ticked = set.detect(start, { kind: 'tick', nowMs: 1 });
    expect(ticked.findings.raised.map((r) => r.key)).toEqual(['second:tick 1', 'first:tick 1']);
    const seen = set.detect(ticked.state, { kind: 'seen', timeMs: 2 });
    expect(seen.state.second).toBe(ticked.state.second);
    expect(Object.keys(seen.state)).toEqual(['second', 'first']);
    expect(set.detect(start, inputs[1] as DetectorInput)).toEqual({
      state: start,
      findings: noFindings,
    });
  });

  it('should restore: a detector without saved state starts afresh, a saved one gone is dropped', () => {
    const set = detectorSet([noting('kept', ['tick']), noting('added', ['tick'])]);
    const r = set.restore({ kept: { seen: ['before'] }, removed: { x: 1 } });
    expect(r).toEqual({
      state: { kept: { seen: ['before'] }, added: { seen: [] } },
      filled: ['added'],
      dropped: ['removed'],
    });
    // Every detector's state is a plain object; anything else is not its state.
    expect(set.restore({ kept: [1], added: null }).filled).toEqual(['kept', 'added']);
    expect(set.restore('not a state').filled).toEqual(['kept', 'added']);
  });

  it('should refuse two detectors with one key', () => {
    expect(() => detectorSet([noting('same', []), noting('same', [])])).toThrow(
      'two detectors have the key "same"',
    );
  });
});

describe('a detector added to the vehicle’s list', () => {
  /** The actor's effects in memory: published alert changes and the newest snapshot. */
  function memoryEffects() {
    const published: AlertChange[] = [];
    let snapshot: ActorSnapshot | undefined;
    const effects: VehicleEffects = {
      publishAlerts: async (changes) => void published.push(...changes),
      writeSamples: async () => {},
      writeLatest: async () => {},
      writeEvents: async () => {},
      recordStatus: async () => {},
      markSeen: async () => {},
      saveSnapshot: async (s) => {
        snapshot = s;
      },
      loadSnapshot: async () => snapshot,
    };
    return {
      effects,
      published,
      get snapshot() {
        return snapshot;
      },
    };
  }

  it('should be initialised, snapshotted, restored and stepped by the actor with no other code knowing it', async () => {
    const fx = memoryEffects();
    const telemetry = (seq: number, value: number) => ({
      kind: 'telemetry' as const,
      batch: {
        deviceId: 'veh',
        seq,
        baseTimeMs: t0 + seq,
        samples: [{ deviceId: 'veh', signalId: SPEED, timeMs: t0 + seq, value }],
      },
      receivedAtMs: t0 + seq,
    });
    // Before: the vehicle's detectors as they are; its snapshot has no state of the new one.
    const before = detectorSet(vehicleDetectorList());
    await new VehicleActor('veh', { effects: fx.effects, detectors: before }).receive([
      telemetry(1, 10),
    ]);
    expect(Object.keys(JSON.parse(fx.snapshot?.data ?? '{}').detectors)).not.toContain(
      'speedNotes',
    );

    // After a deploy: the list with one more detector, and nothing else changed.
    const after = detectorSet([...vehicleDetectorList(), noting('speedNotes', ['samples'])]);
    const migrated: unknown[] = [];
    const actor = new VehicleActor('veh', {
      effects: fx.effects,
      detectors: after,
      onSnapshotMigrated: (_id, restored) => migrated.push(restored.filled),
    });
    const outcome = await actor.receive([telemetry(2, 20)]);
    // Restored from the snapshot without its state: initialised, then stepped.
    expect(migrated).toEqual([['detectors.speedNotes']]);
    expect(JSON.parse(fx.snapshot?.data ?? '{}').detectors.speedNotes).toEqual({
      seen: ['samples 20'],
    });
    // Its findings become the vehicle's alert changes like any detector's.
    expect(outcome.alertChanges.map((c) => `${c.type}:${c.conditionKey}`)).toEqual([
      'overheat:speedNotes:samples 20',
    ]);
    expect(fx.published.map((c) => c.conditionKey)).toEqual(['speedNotes:samples 20']);

    // A later actor restores its state from the snapshot and carries on from it.
    const next = new VehicleActor('veh', { effects: fx.effects, detectors: after });
    await next.receive([telemetry(3, 30)]);
    expect(JSON.parse(fx.snapshot?.data ?? '{}').detectors.speedNotes).toEqual({
      seen: ['samples 20', 'samples 30'],
    });

    // Removed again: its state is dropped from the next snapshot.
    const dropped: unknown[] = [];
    await new VehicleActor('veh', {
      effects: fx.effects,
      detectors: before,
      onSnapshotMigrated: (_id, restored) => dropped.push(restored.dropped),
    }).receive([telemetry(4, 40)]);
    expect(dropped).toEqual([['speedNotes']]);
    expect(Object.keys(JSON.parse(fx.snapshot?.data ?? '{}').detectors)).not.toContain(
      'speedNotes',
    );
  });
});
