import { join } from 'node:path';
import {
  MAX_SAMPLES_PER_MESSAGE,
  MAX_TROUBLE_CODES,
  type Sample,
  signalId,
  TEXT_LIMITS,
  type VehicleEvent,
} from '@fleetline/proto';
import { SimulatedSlcanAdapter } from '@fleetline/pty-devices';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { startPtyPair } from '../../../test-support/pty.js';
import { startAgent } from '../../src/agent/agent.js';
import { validateAgentConfig } from '../../src/agent/config.js';
import { buildInputs } from '../../src/agent/inputs.js';
import { EcuBus, type SimulatedEcu } from '../obd/simulated-ecus.js';
import {
  cleanupAfterEachTest,
  type DecodedUplink,
  type DemoFrame,
  decodeUplink,
  demoDbc,
  demoMappings,
  quietLogger,
  tempDir,
  writeDemoLog,
} from './support.js';

/**
 * What the agent records must reach the broker whole, however much it is: a window of more
 * samples than one message may carry (32,768), or more bytes than the agent publishes at once
 * (128 KiB), goes out as several messages the contract takes; trouble codes past what one
 * event may carry (128) are cut to the most important ones, and counted. Every message is
 * decoded here by the contract's decoder — what the gateway runs on every publish.
 */

const cleanup = cleanupAfterEachTest();

const t0 = 1_764_000_000_000;
const MAX_BYTES = 128 * 1024;

const ids = {
  speed: signalId('Vehicle.Speed'),
  ax: signalId('Vehicle.Acceleration.Longitudinal'),
  ay: signalId('Vehicle.Acceleration.Lateral'),
};

/** Every message within the contract's and the agent's bounds. */
function expectWithinBounds(up: DecodedUplink): void {
  for (const e of up.events) {
    expect(e.bytes, `event ${e.seq}`).toBeLessThanOrEqual(MAX_BYTES);
    const p = e.payload;
    const window =
      p.kind === 'collision'
        ? p.collision.window
        : p.kind === 'triggerCapture'
          ? p.capture.window
          : [];
    expect(window.length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
  }
  for (const b of up.telemetry) expect(b.bytes).toBeLessThanOrEqual(MAX_BYTES);
  const seqs = [...up.events, ...up.telemetry].map((m) => m.seq);
  expect(new Set(seqs).size, 'every message a seq of its own').toBe(seqs.length);
}

/** The samples of these events' windows, by signal, each signal's times sorted. */
function windowsBySignal(events: readonly VehicleEvent[]): Map<number, Sample[]> {
  const by = new Map<number, Sample[]>();
  for (const e of events) {
    const p = e.payload;
    const window =
      p.kind === 'collision'
        ? p.collision.window
        : p.kind === 'triggerCapture'
          ? p.capture.window
          : [];
    for (const s of window) {
      const list = by.get(s.signalId);
      if (list) list.push(s);
      else by.set(s.signalId, [s]);
    }
  }
  for (const list of by.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  return by;
}

/** Times from `from` to `to` (inclusive) every `step` ms. */
const grid = (from: number, to: number, step = 10) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** What the DBC (0.01) and then the wire (3 decimals) make of an acceleration. */
const axAt = (ms: number) => Math.round(Math.sin(ms / 700) * 300) / 100;

describe('agent windows past one message', () => {
  it('should deliver every sample of a 10-minute trigger window at 100 Hz, in messages the wire takes', async () => {
    const dir = tempDir();
    const triggerMs = 320_000;
    // 640 s of the dynamics frame at 100 Hz; over 100 km/h for one second at 320 s.
    await writeDemoLog(join(dir, 'drive.log'), t0, 640_000, 10, (ms) => [
      {
        id: 256,
        values: {
          SPEED: ms >= triggerMs && ms < triggerMs + 1000 ? 120 : 50,
          ACCEL_LONG: axAt(ms),
          ACCEL_LAT: -axAt(ms + 300),
          ACCEL_VERT: 9.8,
        },
      },
    ]);
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const config = validateAgentConfig(
      {
        deviceId: 'window-veh-1',
        uplink: { url: broker.url, batchIntervalMs: 1000 },
        spool: { dir: 'spool' },
        can: { source: { type: 'candump', file: 'drive.log' }, dbc: demoDbc },
        signals: demoMappings,
        crash: { enabled: false },
        triggers: [
          {
            name: 'overspeed',
            when: 'Vehicle.Speed > 100',
            // Five minutes either side.
            preMs: 300_000,
            postMs: 300_000,
            signals: [
              'Vehicle.Speed',
              'Vehicle.Acceleration.Longitudinal',
              'Vehicle.Acceleration.Lateral',
            ],
          },
        ],
      },
      dir,
    );
    const agent = await startAgent(config, quietLogger(), buildInputs);
    cleanup(() => agent.stop(3000));

    const perSignal = grid(-300_000, 300_000).length; // 60,001
    const up = await eventually(
      () => {
        const u = decodeUplink(broker.received, 'window-veh-1');
        const n = u.events.reduce(
          (sum, e) =>
            sum + (e.payload.kind === 'triggerCapture' ? e.payload.capture.window.length : 0),
          0,
        );
        return n >= 3 * perSignal && u.telemetry.length > 0 ? u : undefined;
      },
      'the whole trigger window at the broker',
      90_000,
    );
    expectWithinBounds(up);
    const parts = up.events.filter((e) => e.payload.kind === 'triggerCapture');
    // The replay stamps the log's first frame with the time it started.
    const start = firstSampleMs(up);
    const from = start + triggerMs - 300_000;
    const to = start + triggerMs + 300_000;
    expect(parts.length).toBeGreaterThanOrEqual(
      Math.ceil((3 * perSignal) / MAX_SAMPLES_PER_MESSAGE),
    );
    for (const p of parts) {
      expect(p.payload).toMatchObject({
        kind: 'triggerCapture',
        capture: { name: 'overspeed', triggeredAtMs: start + triggerMs, relatedSeq: 0 },
      });
      expect(p.timeMs).toBe(start + triggerMs);
    }
    // One window: every sample once, in the parts' seq order from the earliest.
    const by = windowsBySignal(parts);
    expect([...by.keys()].sort()).toEqual([ids.speed, ids.ax, ids.ay].sort());
    for (const [id, list] of by)
      expect(
        list.map((s) => s.timeMs),
        `signal ${id}`,
      ).toEqual(grid(from, to));
    const speeds = by.get(ids.speed) ?? [];
    expect(speeds.filter((s) => s.value === 120)).toHaveLength(100);
    const ax = by.get(ids.ax) ?? [];
    expect(ax.every((s) => Math.abs(s.value - axAt(s.timeMs - start)) < 1e-9)).toBe(true);
    const firstTimes = parts.map((p) =>
      p.payload.kind === 'triggerCapture'
        ? Math.min(...p.payload.capture.window.map((s) => s.timeMs))
        : 0,
    );
    expect(firstTimes).toEqual([...firstTimes].sort((a, b) => a - b));
  }, 150_000);

  it('should deliver a collision at once and every sample of a 60-second pre-crash window of 8 signals at 100 Hz', async () => {
    const dir = tempDir();
    const crashMs = 70_000;
    // A 30 km/h frontal haversine pulse over 100 ms at 70 s, from 50 km/h.
    const speedAt = (ms: number) =>
      ms < crashMs
        ? 50
        : Math.max(0, 50 - (30 * Math.min(ms - crashMs, 100)) / 100 - (ms - crashMs) / 100);
    const pulse = (ms: number) =>
      ms >= crashMs && ms <= crashMs + 100
        ? (-((30 / 3.6) * Math.PI) / 0.2) * Math.sin((Math.PI * (ms - crashMs)) / 100)
        : 0.05;
    await writeDemoLog(join(dir, 'drive.log'), t0, 85_000, 10, (ms): DemoFrame[] => [
      {
        id: 256,
        values: {
          SPEED: Math.round(speedAt(ms) * 100) / 100,
          ACCEL_LONG: Math.round(pulse(ms) * 100) / 100,
          ACCEL_LAT: Math.round(Math.sin(ms / 900) * 50) / 100,
          ACCEL_VERT: 9.81,
        },
      },
      {
        id: 257,
        values: { ENGINE_SPEED: 1500 + (ms % 2000) / 4, COOLANT_TEMP: 90, FUEL_LEVEL: 50, GEAR: 3 },
      },
      {
        id: 260,
        values: {
          ENGINE_LOAD: 20 + (Math.floor(ms / 10) % 50) * 0.4,
          THROTTLE_POS: 10 + (Math.floor(ms / 30) % 40) * 0.4,
          MAF: 5 + (ms % 1000) / 100,
          INTAKE_TEMP: 30,
          OIL_TEMP: 95,
          FUEL_CONSUMPTION: 7.5,
        },
      },
    ]);
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const config = validateAgentConfig(
      {
        deviceId: 'crash-veh-60s',
        uplink: { url: broker.url, batchIntervalMs: 1000 },
        spool: { dir: 'spool' },
        can: { source: { type: 'candump', file: 'drive.log' }, dbc: demoDbc },
        signals: [
          ...demoMappings,
          { from: 'can.ENGINE_2.ENGINE_LOAD', to: 'Vehicle.OBD.EngineLoad' },
          { from: 'can.ENGINE_2.THROTTLE_POS', to: 'Vehicle.OBD.ThrottlePosition' },
          { from: 'can.ENGINE_2.MAF', to: 'Vehicle.OBD.MAF' },
        ],
        crash: { preMs: 60_000, postMs: 10_000 },
      },
      dir,
    );
    const agent = await startAgent(config, quietLogger(), buildInputs);
    cleanup(() => agent.stop(3000));

    const signals = 8;
    const perSignal = grid(0, 70_000).length; // −60 s … +10 s: 7,001
    const up = await eventually(
      () => {
        const u = decodeUplink(broker.received, 'crash-veh-60s');
        const collision = u.events.find((e) => e.payload.kind === 'collision');
        if (!collision) return undefined;
        const n = [...windowsBySignal(related(u, collision)).values()].reduce(
          (sum, l) => sum + l.length,
          0,
        );
        return n >= signals * perSignal && u.telemetry.length > 0 ? { u, collision } : undefined;
      },
      'the collision and its whole window at the broker',
      90_000,
    );
    expectWithinBounds(up.u);
    const collisions = up.u.events.filter((e) => e.payload.kind === 'collision');
    expect(collisions).toHaveLength(1);
    const hit = up.collision.timeMs;
    const start = firstSampleMs(up.u);
    expect(hit - start).toBeGreaterThanOrEqual(crashMs);
    expect(hit - start).toBeLessThan(crashMs + 100);
    // The collision itself carries the samples nearest the impact; the rest of the pre-crash
    // window follows at once, then the post-crash window, all naming the collision's seq.
    if (up.collision.payload.kind !== 'collision') throw new Error('not a collision');
    const own = up.collision.payload.collision.window;
    expect(own.length).toBeGreaterThan(0);
    expect(Math.max(...own.map((s) => s.timeMs))).toBe(hit);
    const by = windowsBySignal(related(up.u, up.collision));
    expect(by.size).toBe(signals);
    for (const [id, list] of by) {
      expect(
        list.map((s) => s.timeMs),
        `signal ${id}`,
      ).toEqual(grid(hit - 60_000, hit + 10_000));
    }
    // Events go before telemetry, and the collision before the parts that complete it.
    const parts = related(up.u, up.collision).filter((e) => e !== up.collision);
    expect(parts.every((p) => p.seq > up.collision.seq)).toBe(true);
  }, 150_000);
});

/** The earliest sample time in the telemetry: the first frame's (every signal's first is taken). */
function firstSampleMs(up: DecodedUplink): number {
  return Math.min(...up.telemetry.flatMap((b) => b.samples.map((s) => s.timeMs)));
}

/** A collision and every trigger capture that names its seq. */
function related(up: DecodedUplink, collision: VehicleEvent): VehicleEvent[] {
  return [
    collision,
    ...up.events.filter(
      (e) =>
        e.payload.kind === 'triggerCapture' &&
        e.payload.capture.name === 'collision' &&
        e.payload.capture.relatedSeq === collision.seq,
    ),
  ];
}

describe('agent trouble codes past one event', () => {
  it('should send the 128 most important of 200 stored trouble codes and count the rest', async () => {
    // 200 codes from two ECUs: powertrain (what service 03 is for), network, chassis, body.
    const code = (system: string, n: number) =>
      `${system}${(n >> 12) & 3}${(n & 0xfff).toString(16).toUpperCase().padStart(3, '0')}`;
    const powertrain = Array.from({ length: 100 }, (_, i) => code('P', 0x100 + i));
    const network = Array.from({ length: 40 }, (_, i) => code('U', 0x100 + i));
    const chassis = Array.from({ length: 40 }, (_, i) => code('C', 0x200 + i));
    const body = Array.from({ length: 20 }, (_, i) => code('B', 0x300 + i));
    const ecus: SimulatedEcu[] = [
      {
        index: 0,
        pids: new Map([[0x0d, () => [60]]]),
        troubleCodes: [...body, ...powertrain.slice(0, 60), ...chassis],
      },
      {
        index: 1,
        pids: new Map([[0x0d, () => [60]]]),
        troubleCodes: [...powertrain.slice(60), ...network],
      },
    ];
    const bus = new EcuBus(ecus);
    const pty = await startPtyPair();
    cleanup(() => pty.stop());
    const adapter = await SimulatedSlcanAdapter.open(pty.a);
    cleanup(() => adapter.close());
    adapter.onTransmit((frame) =>
      bus
        .receive({ id: frame.id, data: Uint8Array.from(frame.data) })
        .map((f) => ({ id: f.id, extended: false, data: f.data })),
    );
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const dir = tempDir();
    const config = validateAgentConfig(
      {
        deviceId: 'dtc-veh-200',
        uplink: { url: broker.url, batchIntervalMs: 200 },
        spool: { dir: 'spool' },
        can: { source: { type: 'slcan', path: pty.b, bitrate: 500000 } },
        // Read every second: an answer that misses the poller's window is read again.
        obd: { pids: ['vehicle_speed'], intervalMs: 500, dtcIntervalMs: 1000 },
        signals: [{ from: 'obd.vehicle_speed', to: 'Vehicle.Speed' }],
        crash: { enabled: false },
        metrics: { port: 0 },
      },
      dir,
    );
    const agent = await startAgent(config, quietLogger(), buildInputs);
    cleanup(() => agent.stop(2000));
    // Both ECUs' answers in one reading (a reading that missed one ECU sends fewer).
    const event = await eventually(
      () =>
        decodeUplink(broker.received, 'dtc-veh-200').events.find(
          (e) => e.payload.kind === 'troubleCodes' && e.payload.codes.length >= MAX_TROUBLE_CODES,
        ),
      'the trouble codes of both ECUs at the broker',
      30_000,
    );
    if (event.payload.kind !== 'troubleCodes') throw new Error('not trouble codes');
    const sent = event.payload.codes;
    expect(sent).toHaveLength(MAX_TROUBLE_CODES);
    expect(new Set(sent).size).toBe(MAX_TROUBLE_CODES);
    // Every powertrain code, then network codes as far as there is room.
    expect(sent.filter((c) => c.startsWith('P')).sort()).toEqual([...powertrain].sort());
    expect(sent.filter((c) => c.startsWith('U'))).toHaveLength(MAX_TROUBLE_CODES - 100);
    const metrics = await (await fetch(`http://127.0.0.1:${agent.metricsPort}/metrics`)).text();
    const leftOut = Number(/fleetline_edge_trouble_codes_left_out_total (\d+)/.exec(metrics)?.[1]);
    // 72 each time both answers were read together (once, unless a partial reading came between).
    expect(leftOut).toBeGreaterThanOrEqual(72);
    expect(leftOut % 72).toBe(0);
  }, 60_000);
});

describe('agent config and the wire', () => {
  it('should refuse a trigger name the wire could not carry, and take the longest it can', () => {
    const config = (name: string) => ({
      deviceId: 'v',
      uplink: { url: 'mqtt://127.0.0.1:1' },
      spool: { dir: 's' },
      signals: [],
      triggers: [{ name, when: 'Vehicle.Speed > 100' }],
    });
    const max = TEXT_LIMITS.triggerName;
    // Characters, as the wire counts them: 64 astral ones are 128 UTF-16 units.
    expect(() => validateAgentConfig(config('\u{1F697}'.repeat(max)), '/tmp')).not.toThrow();
    expect(() => validateAgentConfig(config('x'.repeat(max + 1)), '/tmp')).toThrow(
      /\/triggers\/0\/name/,
    );
  });
});
