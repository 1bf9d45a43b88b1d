import { type Sample, signalByName } from '@fleetline/proto';
import type { Reading } from './reading.js';
import { type UnitTransform, unitTransforms } from './units.js';

/**
 * Maps readings of the agent's inputs (`can.ENGINE.RPM`, `obd.engine_speed`, `gnss.latitude`…)
 * onto catalogue signals (VSS names), with a named unit transform and/or a linear one
 * (value × scale + offset, applied after the named transform).
 */

export interface SignalMapping {
  /** Reading name. */
  from: string;
  /** Catalogue (VSS) name. */
  to: string;
  transform?: UnitTransform;
  scale?: number;
  offset?: number;
}

export class SignalMapper {
  private readonly byReading = new Map<
    string,
    { signalId: number; convert: (v: number) => number }[]
  >();

  constructor(mappings: readonly SignalMapping[]) {
    for (const m of mappings) {
      const signal = signalByName(m.to);
      if (!signal)
        throw new Error(`signal mapping ${m.from} → ${m.to}: ${m.to} is not in the catalogue`);
      const named = unitTransforms[m.transform ?? 'identity'];
      const scale = m.scale ?? 1;
      const offset = m.offset ?? 0;
      const convert =
        scale === 1 && offset === 0 ? named : (v: number) => named(v) * scale + offset;
      const list = this.byReading.get(m.from) ?? [];
      list.push({ signalId: signal.id, convert });
      this.byReading.set(m.from, list);
    }
  }

  /** Whether any mapping reads this reading name (lets sources skip work nobody wants). */
  wants(readingName: string): boolean {
    return this.byReading.has(readingName);
  }

  /** The samples a reading becomes (none when unmapped; several when mapped twice). */
  map(reading: Reading): Sample[] {
    const targets = this.byReading.get(reading.name);
    if (!targets) return [];
    const timeMs = Math.round(reading.timeUs / 1000);
    const out: Sample[] = [];
    for (const t of targets) {
      const value = t.convert(reading.value);
      if (Number.isFinite(value)) out.push({ signalId: t.signalId, timeMs, value });
    }
    return out;
  }
}
