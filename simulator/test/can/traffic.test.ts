import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandumpReplaySource, DbcCodec, type DbcDatabase, parseCandumpLine } from '@fleetline/edge';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCanMapping, loadDemoDbc } from '../../src/can/mapping.js';
import { CanTraffic, candumpLog, type SimulatedCanFrame } from '../../src/can/traffic.js';

let dbc: DbcDatabase;
let codec: DbcCodec;
beforeAll(async () => {
  dbc = await loadDemoDbc();
  codec = new DbcCodec(dbc);
});

/** The DBC factor of each mapped signal, by catalogue name. */
function factors(): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of demoCanMapping) {
    const message = dbc.messages.find((x) => x.name === m.message);
    const signal = message?.signals.find((s) => s.name === m.dbcSignal);
    if (signal) out.set(m.signal, signal.scale);
  }
  return out;
}

describe('CanTraffic on the demo DBC', () => {
  it('should send each message at its GenMsgCycleTime', () => {
    const traffic = new CanTraffic({ dbc, seed: 1 });
    expect(Object.fromEntries(traffic.messages.map((m) => [m.message.name, m.cycleMs]))).toEqual({
      VEHICLE_DYNAMICS: 10,
      ENGINE: 100,
      BODY: 1000,
      GNSS_POSITION: 1000,
      ENGINE_2: 100,
      CHASSIS: 20,
      TPMS: 1000,
      ENVIRONMENT: 1000,
      GNSS_INFO: 1000,
    });
    const frames = traffic.framesUntil(2000);
    const count = (name: string) => frames.filter((f) => f.message === name).length;
    expect(count('VEHICLE_DYNAMICS')).toBe(200);
    expect(count('ENGINE')).toBe(20);
    expect(count('BODY')).toBe(2);
    expect(count('GNSS_POSITION')).toBe(2);
    expect(count('ENGINE_2')).toBe(20);
    expect(count('CHASSIS')).toBe(100);
    for (const name of ['TPMS', 'ENVIRONMENT', 'GNSS_INFO']) expect(count(name), name).toBe(2);
    const times = frames.map((f) => f.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const dynamics = frames.filter((f) => f.message === 'VEHICLE_DYNAMICS').map((f) => f.timeMs);
    expect(dynamics.slice(1).map((t, i) => t - dynamics[i]!)).toEqual(Array(199).fill(10));
  });

  it('should use the default cycle for messages without GenMsgCycleTime', () => {
    const bare = { ...dbc, messages: dbc.messages.map((m) => ({ ...m, cycleTimeMs: undefined })) };
    const traffic = new CanTraffic({ dbc: bare, seed: 1, defaultCycleMs: 250 });
    expect(traffic.messages.every((m) => m.cycleMs === 250)).toBe(true);
    expect(traffic.framesUntil(1000)).toHaveLength(9 * 4);
  });

  it('should decode back to the model values within each signal’s resolution', () => {
    const traffic = new CanTraffic({ dbc, seed: 42 });
    const frames = traffic.framesUntil(120_000);
    const factor = factors();
    let moving = 0;
    const wrong: string[] = [];
    for (const f of frames) {
      const decoded = codec.decodeFrame({
        id: f.id,
        extended: f.extended,
        remote: false,
        fd: false,
        error: false,
        data: f.data,
        dlc: f.data.length,
        timeUs: f.timeMs * 1000,
      });
      if (decoded?.message.name !== f.message) wrong.push(`${f.timeMs} ${f.message}: not decoded`);
      for (const m of demoCanMapping.filter((x) => x.message === f.message)) {
        const value = f.values[m.signal];
        const got = Number(decoded?.signals[m.dbcSignal]);
        const tolerance = (factor.get(m.signal) ?? 0) / 2 + 1e-9 * Math.max(1, Math.abs(got));
        if (value === undefined || !(Math.abs(got - value) <= tolerance)) {
          wrong.push(`${f.timeMs} ${m.signal}: ${value} → ${got}`);
        }
      }
      if ((f.values['Vehicle.Speed'] ?? 0) > 20) moving++;
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    // The drive does drive: two minutes hold stretches above 20 km/h.
    expect(moving).toBeGreaterThan(100);
  });

  it('should give the same frames for the same seed, and others for another', () => {
    const bytes = (frames: SimulatedCanFrame[]) =>
      frames.map((f) => `${f.timeMs} ${f.id} ${Buffer.from(f.data).toString('hex')}`);
    const a = bytes(new CanTraffic({ dbc, seed: 7 }).framesUntil(30_000));
    const b = bytes(new CanTraffic({ dbc, seed: 7 }).framesUntil(30_000));
    const c = bytes(new CanTraffic({ dbc, seed: 8 }).framesUntil(30_000));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // Read in small pieces or at once: the same bus.
    const pieces = new CanTraffic({ dbc, seed: 7 });
    const chunked: SimulatedCanFrame[] = [];
    for (let t = 7; t <= 30_000; t += 7) chunked.push(...pieces.framesUntil(t));
    chunked.push(...pieces.framesUntil(30_000));
    expect(bytes(chunked)).toEqual(a);
  });

  it('should refuse a mapping the DBC or the model cannot carry', () => {
    expect(
      () =>
        new CanTraffic({
          dbc,
          seed: 1,
          mapping: [{ signal: 'Vehicle.Speed', message: 'NOPE', dbcSignal: 'SPEED' }],
        }),
    ).toThrow(/no message NOPE/);
    expect(
      () =>
        new CanTraffic({
          dbc,
          seed: 1,
          mapping: [{ signal: 'Vehicle.Speed', message: 'ENGINE', dbcSignal: 'SPEED' }],
        }),
    ).toThrow(/has no signal SPEED/);
  });
});

describe('candump output', () => {
  it('should parse with the edge candump reader and decode to the same frames', () => {
    const traffic = new CanTraffic({ dbc, seed: 3 });
    const expected = new CanTraffic({ dbc, seed: 3 }).framesUntil(5000);
    const text = candumpLog(traffic, 5000);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    expect(lines[0]).toMatch(/^\(\d+\.\d{6}\) can0 [0-9A-F]{3}#[0-9A-F]{16}$/);
    lines.forEach((line, i) => {
      const parsed = parseCandumpLine(line);
      const want = expected[i]!;
      expect(parsed.iface).toBe('can0');
      expect(parsed.frame.id).toBe(want.id);
      expect(parsed.frame.timeUs).toBe(want.timeMs * 1000);
      expect(Array.from(parsed.frame.data)).toEqual(Array.from(want.data));
      expect(codec.decodeFrame(parsed.frame)?.message.name).toBe(want.message);
    });
  });

  it('should replay through the edge candump source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-sim-can-'));
    try {
      const file = join(dir, 'drive.log');
      writeFileSync(file, candumpLog(new CanTraffic({ dbc, seed: 5 }), 3000));
      const source = new CandumpReplaySource({ path: file });
      const ids: number[] = [];
      const errors: Error[] = [];
      source.on('frame', (f) => ids.push(f.id));
      source.on('error', (e) => errors.push(e));
      const ended = new Promise<void>((resolve) => source.once('end', () => resolve()));
      await source.open();
      await ended;
      await source.close();
      expect(errors).toEqual([]);
      // 3 s: VEHICLE_DYNAMICS at 100 Hz, CHASSIS at 50 Hz, two engine messages at 10 Hz, five at 1 Hz.
      expect(ids).toHaveLength(300 + 150 + 30 + 30 + 5 * 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
