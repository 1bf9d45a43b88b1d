import { catalogue, type SignalName } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { DriveModel, type Scenario, samplesBySignal, simulate } from '../../src/index.js';

/** The signals beyond speed, engine and position: plausible, and consistent with each other. */

const values = (by: ReturnType<typeof samplesBySignal>, name: SignalName) =>
  (by.get(name) ?? []).map((s) => s.value);
const at = (by: ReturnType<typeof samplesBySignal>, name: SignalName, timeMs: number) =>
  by.get(name)?.find((s) => s.timeMs === timeMs)?.value;

describe('drive model: every catalogue signal', () => {
  const drive: Scenario = {
    seed: 81,
    coolantC: 20,
    ambientC: 18,
    events: [{ kind: 'hardBraking', atMs: 90_000 }],
  };
  const out = simulate(drive, 600_000);
  const by = samplesBySignal(out.samples);

  it('should sample every signal of the catalogue', () => {
    expect([...by.keys()].sort()).toEqual(catalogue.map((s) => s.name).sort());
  });

  it('should keep each signal in its physical range', () => {
    const within = (name: SignalName, lo: number, hi: number) => {
      const v = values(by, name);
      expect(Math.min(...v), name).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...v), name).toBeLessThanOrEqual(hi);
    };
    within('Vehicle.OBD.MAF', 0, 80);
    within('Vehicle.OBD.ThrottlePosition', 0, 100);
    within('Vehicle.Chassis.Brake.PedalPosition', 0, 100);
    within('Vehicle.Chassis.Accelerator.PedalPosition', 0, 100);
    within('Vehicle.OBD.BarometricPressure', 95, 104);
    within('Vehicle.Exterior.AirTemperature', 17.9, 18.1);
    within('Vehicle.CurrentLocation.HorizontalAccuracy', 1, 3);
    for (const wheel of [
      'Row1.Wheel.Left',
      'Row1.Wheel.Right',
      'Row2.Wheel.Left',
      'Row2.Wheel.Right',
    ]) {
      within(`Vehicle.Chassis.Axle.${wheel}.Tire.Pressure` as SignalName, 215, 265);
    }
  });

  it('should idle at 2–4 g/s of air and warm the oil behind the coolant', () => {
    // Standing with the engine running: the air flow is the idle fuel flow × 14.7.
    const idle = (by.get('Vehicle.OBD.MAF') ?? []).filter(
      (s) =>
        at(by, 'Vehicle.Speed', s.timeMs) === 0 &&
        (at(by, 'Vehicle.OBD.RunTime', s.timeMs) ?? 0) > 5 &&
        at(by, 'Vehicle.Chassis.Accelerator.PedalPosition', s.timeMs) === 0,
    );
    expect(idle.length).toBeGreaterThan(5);
    for (const s of idle) {
      expect(s.value).toBeGreaterThan(2);
      expect(s.value).toBeLessThan(4);
    }
    const oil = values(by, 'Vehicle.Powertrain.CombustionEngine.EOT');
    const coolant = values(by, 'Vehicle.Powertrain.CombustionEngine.ECT');
    const i = 300; // five minutes in
    expect(coolant[i]).toBeGreaterThan(60);
    expect(oil[i]).toBeLessThan(coolant[i]!);
    expect(oil[i]).toBeGreaterThan(25);
  });

  it('should count run time from the engine start, second by second', () => {
    const run = by.get('Vehicle.OBD.RunTime') ?? [];
    const running = run.filter((s) => s.value > 0);
    expect(running.length).toBeGreaterThan(590);
    const steps = running.slice(1).map((s, i) => s.value - running[i]!.value);
    expect(steps.every((d) => d === 1)).toBe(true);
  });

  it('should press the brake hard in hard braking and the accelerator when pulling away', () => {
    const start = new DriveModel({ ...drive }).startMs;
    const brake = (by.get('Vehicle.Chassis.Brake.PedalPosition') ?? []).filter(
      (s) => s.timeMs >= start + 90_000 && s.timeMs <= start + 91_500,
    );
    expect(Math.max(...brake.map((s) => s.value))).toBeGreaterThan(50);
    const pedal = values(by, 'Vehicle.Chassis.Accelerator.PedalPosition');
    expect(pedal.some((v) => v > 10)).toBe(true);
    // Never both at once beyond a light touch.
    const both = (by.get('Vehicle.Chassis.Brake.PedalPosition') ?? []).filter(
      (s) =>
        s.value > 10 && (at(by, 'Vehicle.Chassis.Accelerator.PedalPosition', s.timeMs) ?? 0) > 10,
    );
    expect(both).toEqual([]);
  });

  it('should turn the wheel and yaw the way the car accelerates sideways', () => {
    // In a corner at speed all three agree in sign: left is positive for each.
    const lateral = by.get('Vehicle.Acceleration.Lateral') ?? [];
    let agree = 0;
    let disagree = 0;
    for (const s of lateral) {
      if (Math.abs(s.value) < 1) continue;
      const yaw = at(by, 'Vehicle.AngularVelocity.Yaw', s.timeMs);
      const wheel = at(by, 'Vehicle.Chassis.SteeringWheel.Angle', s.timeMs);
      if (yaw === undefined || wheel === undefined) continue;
      if (Math.sign(yaw) === Math.sign(s.value) && Math.sign(wheel) === Math.sign(s.value)) agree++;
      else disagree++;
    }
    expect(agree).toBeGreaterThan(20);
    expect(disagree).toBeLessThanOrEqual(agree / 20);
  });

  it('should warm the tyres on the move', () => {
    const fl = values(by, 'Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure');
    expect(fl.at(-1)! - fl[0]!).toBeGreaterThan(1.5);
    // Warming only: never below the cold pressure.
    expect(Math.min(...fl)).toBe(fl[0]);
  });

  it('should send no position while the GPS has no fix', () => {
    const tunnel = simulate(
      { seed: 82, events: [{ kind: 'gnssOutage', atMs: 20_000, durationMs: 10_000 }] },
      60_000,
    );
    const t = samplesBySignal(tunnel.samples);
    const start = new DriveModel({ seed: 82 }).startMs;
    const inside = (name: SignalName) =>
      (t.get(name) ?? []).filter((s) => s.timeMs >= start + 20_000 && s.timeMs < start + 30_000);
    for (const name of [
      'Vehicle.CurrentLocation.Latitude',
      'Vehicle.CurrentLocation.Longitude',
      'Vehicle.CurrentLocation.Altitude',
      'Vehicle.CurrentLocation.Heading',
      'Vehicle.CurrentLocation.HorizontalAccuracy',
    ] as const) {
      expect(inside(name), name).toEqual([]);
      expect(t.get(name)?.length, name).toBe(50);
    }
    expect(inside('Vehicle.Speed').length).toBe(100);
  });

  it('should sample only the signals asked for', () => {
    const few = simulate({ seed: 83, signals: ['Vehicle.Speed', 'Vehicle.OBD.MAF'] }, 10_000);
    expect([...samplesBySignal(few.samples).keys()].sort()).toEqual([
      'Vehicle.OBD.MAF',
      'Vehicle.Speed',
    ]);
  });
});
