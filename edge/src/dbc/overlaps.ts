import { bitChunks, chunksOverlap } from './bit-layout.js';
import type { DbcSignal, DbcWarning, MuxCondition, MuxRange } from './model.js';

/**
 * Warnings for signals of one message that share frame bits and can be in the same frame:
 * two signals a switch keeps apart (disjoint values of a common switch) do not count.
 * Overlaps are legal enough to load (cantools loads them with strict=False; real files such as
 * opendbc's Toyota PCS_HUD have them) but usually a mistake worth showing.
 */
export function overlapWarnings(messageName: string, signals: readonly DbcSignal[]): DbcWarning[] {
  const warnings: DbcWarning[] = [];
  const byName = new Map(signals.map((s) => [s.name, s]));
  const chunks = signals.map((s) => bitChunks(s.startBit, s.length, s.byteOrder));
  const path = (s: DbcSignal): Map<string, MuxCondition> => {
    const conditions = new Map<string, MuxCondition>();
    let at = s.multiplexedBy;
    while (at && !conditions.has(at.switchName)) {
      conditions.set(at.switchName, at);
      at = byName.get(at.switchName)?.multiplexedBy;
    }
    return conditions;
  };
  const paths = signals.map(path);
  const disjoint = (a: readonly MuxRange[], b: readonly MuxRange[]) =>
    a.every((x) => b.every((y) => x.to < y.from || y.to < x.from));
  for (let i = 0; i < signals.length; i++) {
    for (let j = i + 1; j < signals.length; j++) {
      const a = paths[i] as Map<string, MuxCondition>;
      const b = paths[j] as Map<string, MuxCondition>;
      let exclusive = false;
      for (const [switchName, cond] of a) {
        const other = b.get(switchName);
        if (other && disjoint(cond.ranges, other.ranges)) exclusive = true;
      }
      if (exclusive) continue;
      if (chunksOverlap(chunks[i]!, chunks[j]!)) {
        const x = signals[i] as DbcSignal;
        const y = signals[j] as DbcSignal;
        warnings.push({
          line: y.line,
          message: `BO_ ${messageName}: signals ${x.name} and ${y.name} overlap`,
        });
      }
    }
  }
  return warnings;
}
