import type { ActorSnapshot } from '@fleetline/platform';
import { type AlertChange, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import { VehicleActor, type VehicleEffects } from '../src/vehicle-actor.js';
import type { VehicleMessage } from '../src/vehicle-messages.js';

/**
 * A vehicle actor takes messages in (accept) before their effects are durable: their alert
 * changes are published at once, the next messages go through the detectors while the writes
 * before them are under way, and each snapshot is saved only after everything it accounts for.
 */

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 30, 9, 0, 0);

const telemetry = (seq: number): VehicleMessage => ({
  kind: 'telemetry',
  batch: {
    deviceId: 'veh',
    seq,
    baseTimeMs: t0 + seq * 1000,
    samples: [{ deviceId: 'veh', signalId: SPEED, timeMs: t0 + seq * 1000, value: 50 }],
  },
  receivedAtMs: t0 + seq * 1000 + 100,
});

const collision = (seq: number): VehicleMessage => ({
  kind: 'event',
  event: {
    deviceId: 'veh',
    seq,
    timeMs: t0 + seq * 1000,
    payload: {
      kind: 'collision',
      collision: {
        severity: 'severe',
        peakG: 22,
        deltaVKmh: 38,
        direction: 'front',
        speedBeforeKmh: 50,
        window: [],
      },
    },
  },
  receivedAtMs: t0 + seq * 1000 + 100,
});

/**
 * Effects in memory that note what happens in order (empty writes are none, as in the
 * processor's group commit); sample writes wait while `hold` is set
 * (until letGo()), and fail while `failing` is set.
 */
function notingEffects() {
  const noted: string[] = [];
  const snapshots: ActorSnapshot[] = [];
  const held: (() => void)[] = [];
  const fx = { hold: false, failing: false, failPublish: false, loads: 0 };
  const effects: VehicleEffects = {
    publishAlerts: async (changes: readonly AlertChange[]) => {
      if (fx.failPublish) throw new Error('alerts not published');
      for (const c of changes) noted.push(`alert ${c.type} ${c.transition}`);
    },
    writeSamples: async (rows) => {
      if (rows.length === 0) return;
      if (fx.hold) await new Promise<void>((resolve) => held.push(resolve));
      if (fx.failing) throw new Error('samples not written');
      noted.push(`samples ${rows.map((r) => (r.timeMs - t0) / 1000).join(',')}`);
    },
    writeLatest: async () => {},
    writeEvents: async (rows) => {
      if (rows.length > 0) noted.push(`events ${rows.map((r) => r.seq).join(',')}`);
    },
    recordStatus: async () => {},
    markSeen: async () => {},
    saveSnapshot: async (s) => {
      snapshots.push(s);
      noted.push('snapshot');
    },
    loadSnapshot: async () => {
      fx.loads++;
      noted.push('load');
      return snapshots.at(-1);
    },
  };
  const letGo = () => {
    fx.hold = false;
    for (const resolve of held.splice(0)) resolve();
  };
  const handled = (s: ActorSnapshot | undefined) =>
    JSON.stringify(JSON.parse(s?.data ?? '{}').streams ?? []);
  return { noted, snapshots, effects, fx, letGo, handled, waiting: () => held.length };
}

describe('a vehicle actor taking messages in', () => {
  it('should publish a collision while the writes of the telemetry before it are held, and save snapshots after them', async () => {
    const e = notingEffects();
    const actor = new VehicleActor('veh', { effects: e.effects, detectors: vehicleDetectors() });
    e.fx.hold = true;
    const first = await actor.accept([telemetry(1), telemetry(2)]);
    let firstDurable = false;
    void first.durable.then(() => {
      firstDurable = true;
    });
    const crash = await actor.accept([collision(3)]);
    // Taken in and published while the samples before it wait.
    expect(crash.outcome.alertChanges.map((c) => c.type)).toEqual(['collision']);
    expect(e.noted).toEqual(['load', 'alert collision raised']);
    expect(e.waiting()).toBe(1);
    expect(firstDurable).toBe(false);
    e.letGo();
    await crash.durable;
    expect(firstDurable).toBe(true);
    // The first batch's writes and snapshot, then the event's: a snapshot never ahead of a write.
    expect(e.noted).toEqual([
      'load',
      'alert collision raised',
      'samples 1,2',
      'snapshot',
      'events 3',
      'snapshot',
    ]);
    expect(e.snapshots).toHaveLength(2);
    expect(e.snapshots[1]?.savedMs).toBeGreaterThan(e.snapshots[0]?.savedMs ?? 0);
  });

  it('should fail what was taken in after effects that could not be made durable, and go on from the snapshot', async () => {
    const e = notingEffects();
    const actor = new VehicleActor('veh', { effects: e.effects, detectors: vehicleDetectors() });
    await actor.receive([telemetry(1)]);
    const saved = e.handled(e.snapshots.at(-1));
    e.fx.hold = true;
    e.fx.failing = true;
    const failed = await actor.accept([telemetry(2)]);
    const behind = await actor.accept([telemetry(3)]);
    e.letGo();
    await expect(failed.durable).rejects.toThrow(/samples not written/);
    await expect(behind.durable).rejects.toThrow(/samples not written/);
    expect(e.handled(e.snapshots.at(-1))).toBe(saved);
    e.fx.failing = false;
    // The next message meets the last snapshot: 2 and 3 are not duplicates, and are stored.
    const again = await actor.receive([telemetry(2), telemetry(3)]);
    expect(e.fx.loads).toBe(2);
    expect(again.duplicates).toEqual([]);
    expect(e.noted.at(-2)).toBe('samples 2,3');
  });

  it('should write what was taken in while a write was under way together, with one snapshot', async () => {
    const e = notingEffects();
    const actor = new VehicleActor('veh', { effects: e.effects, detectors: vehicleDetectors() });
    e.fx.hold = true;
    const taken = [];
    for (const seq of [1, 2, 3, 4]) taken.push(await actor.accept([telemetry(seq)]));
    expect(e.waiting()).toBe(1);
    e.letGo();
    await Promise.all(taken.map((a) => a.durable));
    expect(e.noted).toEqual(['load', 'samples 1', 'snapshot', 'samples 2,3,4', 'snapshot']);
    // The second snapshot accounts for all four.
    const again = await new VehicleActor('veh', {
      effects: e.effects,
      detectors: vehicleDetectors(),
    }).receive([telemetry(4)]);
    expect(again.duplicates).toEqual([0]);
  });

  it('should give up the state of alerts it could not publish, and read its snapshot again only after the writes under way', async () => {
    const e = notingEffects();
    const actor = new VehicleActor('veh', { effects: e.effects, detectors: vehicleDetectors() });
    e.fx.hold = true;
    const first = await actor.accept([telemetry(1)]);
    e.fx.failPublish = true;
    const crash = await actor.accept([collision(2)]);
    await expect(crash.durable).rejects.toThrow(/not published/);
    e.fx.failPublish = false;
    // The next message waits for the first one's writes before it reads the snapshot.
    const next = actor.accept([collision(2), telemetry(3)]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(e.noted).toEqual(['load']);
    e.letGo();
    const again = await next;
    await Promise.all([first.durable, again.durable]);
    expect(e.noted.slice(0, 4)).toEqual(['load', 'samples 1', 'snapshot', 'load']);
    // The crash is raised again (its first raising was never published), 1 is not handled twice.
    expect(again.outcome.alertChanges.map((c) => c.type)).toEqual(['collision']);
    expect(again.outcome.duplicates).toEqual([]);
  });
});
