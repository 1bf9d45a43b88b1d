import { STANDARD_GRAVITY as G, type Sample, type SignalName, signalId } from '@fleetline/proto';

/** Samples of one signal every `periodMs` from `startMs`, one per value. */
export function series(
  name: SignalName,
  startMs: number,
  periodMs: number,
  values: readonly number[],
): Sample[] {
  const id = signalId(name);
  return values.map((value, i) => ({ signalId: id, timeMs: startMs + i * periodMs, value }));
}

/** `count` values going linearly from `from` to `to`. */
export function ramp(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / Math.max(1, count - 1));
}

export const hold = (value: number, count: number): number[] => Array(count).fill(value);

/** Merges sample lists into one stream in time order, as an actor receives them. */
export function merged(...lists: Sample[][]): Sample[] {
  return lists.flat().sort((a, b) => a.timeMs - b.timeMs);
}

/** Runs a detector over samples in batches of `batch`, carrying its state. */
export function runInBatches<
  S,
  F extends { raised: readonly unknown[]; cleared: readonly unknown[] },
>(
  detector: { initial: S; step(state: S, samples: readonly Sample[]): { state: S; findings: F } },
  samples: readonly Sample[],
  batch: number,
) {
  let state = detector.initial;
  const raised: F['raised'][number][] = [];
  const cleared: F['cleared'][number][] = [];
  for (let i = 0; i < samples.length; i += batch) {
    const r = detector.step(state, samples.slice(i, i + batch));
    state = r.state;
    raised.push(...r.findings.raised);
    cleared.push(...r.findings.cleared);
  }
  return { state, raised, cleared };
}

/**
 * A one-minute city drive as an older agent sends it: acceleration at 100 Hz, speed at 10 Hz,
 * coolant, fuel, voltage, engine speed and odometer at 1 Hz, in 5-second batches. `events`
 * adds what happens on the way (ms into the drive).
 */
export function cityDriveBatches(
  t0: number,
  events: {
    crashAtMs?: number;
    brakingAtMs?: number;
    potholesAtMs?: number[];
  },
): Sample[][] {
  const speedAt = (t: number) => {
    if (events.crashAtMs !== undefined && t >= events.crashAtMs + 100) return 0;
    if (events.brakingAtMs !== undefined && t >= events.brakingAtMs)
      return Math.max(0, 50 - ((t - events.brakingAtMs) / 1500) * 50);
    return 50;
  };
  const lon = (t: number) => {
    let a = 0.3 * Math.sin(t / 900); // ordinary traffic
    const c = events.crashAtMs;
    if (c !== undefined && t >= c && t <= c + 100)
      a -= 26 * G * Math.sin((Math.PI * (t - c)) / 100) ** 2;
    const b = events.brakingAtMs;
    if (b !== undefined && t >= b && t < b + 1500) a -= 0.95 * G;
    for (const p of events.potholesAtMs ?? []) if (t >= p && t < p + 10) a -= 4 * G;
    return a;
  };
  const ms = 60_000;
  const at100 = Array.from({ length: ms / 10 }, (_, i) => i * 10);
  const samples: Sample[] = merged(
    series('Vehicle.Acceleration.Longitudinal', t0, 10, at100.map(lon)),
    series(
      'Vehicle.Acceleration.Lateral',
      t0,
      10,
      at100.map((t) => 0.2 * Math.cos(t / 1300)),
    ),
    series(
      'Vehicle.Speed',
      t0,
      100,
      Array.from({ length: ms / 100 }, (_, i) => speedAt(i * 100)),
    ),
    series('Vehicle.Powertrain.CombustionEngine.ECT', t0, 1000, Array(60).fill(92)),
    series('Vehicle.Powertrain.FuelSystem.RelativeLevel', t0, 1000, Array(60).fill(41)),
    series('Vehicle.LowVoltageBattery.CurrentVoltage', t0, 1000, Array(60).fill(14.1)),
    series('Vehicle.Powertrain.CombustionEngine.Speed', t0, 1000, Array(60).fill(1800)),
    series(
      'Vehicle.TraveledDistance',
      t0,
      1000,
      Array.from({ length: 60 }, (_, i) => 31_000 + i * 0.014),
    ),
  );
  const batches: Sample[][] = [];
  for (let from = t0; from < t0 + ms; from += 5000) {
    batches.push(samples.filter((s) => s.timeMs >= from && s.timeMs < from + 5000));
  }
  return batches;
}
