import type { Sample } from '@fleetline/proto';

/**
 * The recent history of every signal, at full rate, for pre-trigger windows: samples older
 * than `spanMs` behind the newest are forgotten, and each signal keeps at most `maxPerSignal`
 * (so a flood cannot exhaust memory).
 */
const INITIAL_RING = 64;

interface Ring {
  times: Float64Array;
  values: Float64Array;
  start: number;
  count: number;
}

/** Doubles a full ring (up to max), unrolling it so the oldest sample is at index 0. */
function grow(ring: Ring, max: number): void {
  const size = Math.min(ring.times.length * 2, max);
  const times = new Float64Array(size);
  const values = new Float64Array(size);
  const cap = ring.times.length;
  for (let k = 0; k < ring.count; k++) {
    const i = (ring.start + k) % cap;
    times[k] = ring.times[i] as number;
    values[k] = ring.values[i] as number;
  }
  ring.times = times;
  ring.values = values;
  ring.start = 0;
}

export class SampleHistory {
  private readonly bySignal = new Map<number, Ring>();

  constructor(
    private readonly spanMs: number,
    private readonly maxPerSignal = 4096,
  ) {}

  add(s: Sample): void {
    let ring = this.bySignal.get(s.signalId);
    if (!ring) {
      // Rings start small and double as a signal proves busy: a 1 Hz signal never holds more
      // than its span's worth, and only a high-rate one reaches maxPerSignal.
      const size = Math.min(INITIAL_RING, this.maxPerSignal);
      ring = { times: new Float64Array(size), values: new Float64Array(size), start: 0, count: 0 };
      this.bySignal.set(s.signalId, ring);
    }
    if (ring.count === ring.times.length && ring.count < this.maxPerSignal)
      grow(ring, this.maxPerSignal);
    const cap = ring.times.length;
    const i = (ring.start + ring.count) % cap;
    ring.times[i] = s.timeMs;
    ring.values[i] = s.value;
    if (ring.count < cap) ring.count++;
    else ring.start = (ring.start + 1) % cap;
    // Forget what is older than the span.
    while (ring.count > 0 && (ring.times[ring.start] as number) < s.timeMs - this.spanMs) {
      ring.start = (ring.start + 1) % cap;
      ring.count--;
    }
  }

  /** Samples with fromMs ≤ time ≤ toMs, per signal in time order (optionally only some signals). */
  window(fromMs: number, toMs: number, signals?: ReadonlySet<number>): Sample[] {
    const out: Sample[] = [];
    for (const [signalId, ring] of this.bySignal) {
      if (signals && !signals.has(signalId)) continue;
      for (let k = 0; k < ring.count; k++) {
        const i = (ring.start + k) % ring.times.length;
        const t = ring.times[i] as number;
        if (t >= fromMs && t <= toMs)
          out.push({ signalId, timeMs: t, value: ring.values[i] as number });
      }
    }
    return out;
  }

  /** The newest value of a signal, if any. */
  latest(signalId: number): Sample | undefined {
    const ring = this.bySignal.get(signalId);
    if (!ring || ring.count === 0) return undefined;
    const i = (ring.start + ring.count - 1) % ring.times.length;
    return { signalId, timeMs: ring.times[i] as number, value: ring.values[i] as number };
  }
}
