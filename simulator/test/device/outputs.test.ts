import { createHash } from 'node:crypto';
import { parseImuLine } from '@fleetline/edge';
import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  CanTraffic,
  DriveModel,
  type Feed,
  feed,
  GnssTraffic,
  ImuTraffic,
  loadDemoDbc,
  type Scenario,
  sendDue,
} from '../../src/index.js';

const START = Date.UTC(2026, 10, 25, 9, 30, 0, 120);
const crashDrive: Scenario = {
  seed: 71,
  startMs: START,
  engineStartMs: 500,
  events: [
    { kind: 'crash', atMs: 14_000, direction: 'front', deltaVKmh: 60 },
    { kind: 'gnssOutage', atMs: 5_000, durationMs: 3_000 },
  ],
};

/** Every output of one vehicle over `untilMs`, taken in due order as the devices take them. */
function drive(scenario: Scenario, untilMs: number) {
  const model = new DriveModel(scenario, { samples: false });
  const imu = new ImuTraffic({ model });
  const gnss = new GnssTraffic({ model });
  const lines: string[] = [];
  const epochs: ReturnType<GnssTraffic['next']>[] = [];
  const imuLines: ReturnType<ImuTraffic['next']>[] = [];
  const seen: number[] = [];
  const track =
    <T>(deliver: (x: T) => void) =>
    (x: T) => {
      seen.push(model.state.timeMs);
      deliver(x);
    };
  const feeds: Feed[] = [
    feed(
      imu,
      track((l) => {
        imuLines.push(l);
        lines.push(l.line);
      }),
    ),
    feed(
      gnss,
      track((e) => {
        epochs.push(e);
        lines.push(...e.lines);
      }),
    ),
  ];
  sendDue(feeds, untilMs);
  return { model, lines, epochs, imuLines, seen };
}

describe('the IMU board and GPS receiver outputs', () => {
  it('should send $IMU lines at 100 Hz the edge parser takes, gravity on z, clipped at 16 g', () => {
    const { imuLines } = drive(crashDrive, 20_000);
    expect(imuLines).toHaveLength(2000);
    const parsed = imuLines.map((l) => parseImuLine(l.line));
    expect(parsed.map((p) => p.ax)).toEqual(imuLines.map((l) => l.ax));
    // 10 ms apart on the board's clock.
    expect(parsed.slice(1).every((p, i) => p.deviceMs - parsed[i]!.deviceMs === 10)).toBe(true);
    // At rest before the engine starts: one g up, nothing else.
    expect(parsed[0]!.az).toBeCloseTo(G, 0);
    expect(Math.abs(parsed[0]!.ax)).toBeLessThan(0.5);
    // The front crash: a deceleration pulse that clips at the board's full scale.
    const during = parsed.filter((_, i) => i * 10 >= 14_000 && i * 10 <= 14_200);
    const minAx = Math.min(...during.map((p) => p.ax));
    expect(minAx).toBeCloseTo(-16 * G, 2);
    expect(parsed.every((p) => Math.abs(p.ax) <= 16 * G + 0.001)).toBe(true);
  });

  it('should send a GPS epoch each whole UTC second, without a fix during an outage', () => {
    const { epochs, model } = drive(crashDrive, 20_000);
    expect(epochs.length).toBe(20);
    expect(epochs.every((e) => e.timeMs % 1000 === 0)).toBe(true);
    expect(epochs[0]!.timeMs).toBe(START + 880);
    const invalid = epochs.filter((e) => !e.fix.valid).map((e) => e.timeMs - START);
    expect(invalid).toEqual([5880, 6880, 7880]);
    expect(epochs.every((e) => e.lines.length === 4 && e.lines[0]!.startsWith('$GPRMC'))).toBe(
      true,
    );
    // The receiver's position is the model's (the drive is on its route).
    const last = epochs.at(-1)!;
    expect(last.fix.valid).toBe(true);
    expect(model.state.crashed).toBe(true);
    expect(last.fix.speedKmh).toBe(0);
  });

  it('should advance the shared model in time order across outputs', () => {
    const { seen } = drive(crashDrive, 5_000);
    expect(seen.length).toBeGreaterThan(500);
    expect(seen.every((t, i) => i === 0 || t >= seen[i - 1]!)).toBe(true);
  });

  it('should give the same lines for the same seed, other lines for another', () => {
    const hash = (s: Scenario) =>
      createHash('sha256').update(drive(s, 10_000).lines.join('\n')).digest('hex');
    expect(hash(crashDrive)).toBe(hash(crashDrive));
    expect(hash({ ...crashDrive, seed: 72 })).not.toBe(hash(crashDrive));
  });

  it('should let the CAN bus, GPS and IMU read one model: the bus speed is the GPS speed', async () => {
    const dbc = await loadDemoDbc();
    const model = new DriveModel({ ...crashDrive, events: [] }, { samples: false });
    const can = new CanTraffic({ dbc, model });
    const gnss = new GnssTraffic({ model });
    const speeds = new Map<number, number>();
    const fixes: { at: number; kmh: number }[] = [];
    sendDue(
      [
        feed(can, (f) => {
          const v = f.values['Vehicle.Speed'];
          if (v !== undefined) speeds.set(f.timeMs, v);
        }),
        feed(gnss, (e) => fixes.push({ at: e.timeMs, kmh: e.fix.speedKmh })),
      ],
      30_000,
    );
    expect(fixes.some((f) => f.kmh > 20)).toBe(true);
    for (const f of fixes) expect(speeds.get(f.at)).toBeCloseTo(f.kmh, 9);
  });

  it('should refuse rates the model cannot serve', () => {
    const model = new DriveModel({ seed: 1 }, { samples: false });
    expect(() => new ImuTraffic({ model, rateHz: 300 })).toThrow(/multiple of 10 ms/);
    expect(() => new GnssTraffic({ model, rateHz: 3 as 1 })).toThrow(/1, 2, 5 or 10/);
  });
});
