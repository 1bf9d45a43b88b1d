import { describe, expect, it } from 'vitest';
import { appendStatements } from '../../src/telemetry-db/cassandra/samples.js';
import type { SampleRow } from '../../src/telemetry-db/port/samples.js';

/** How a batch's samples become append statements, grouped by partition (pure). */

const HOUR_MS = 3_600_000;
const hourStart = Date.UTC(2026, 11, 7, 14, 0, 0);
const keep = () => 3600;

/** `signals` signals × `perSignal` samples a second apart, coded by signal as a batch is. */
function batch(deviceId: string, startMs: number, signals: number, perSignal: number) {
  const rows: SampleRow[] = [];
  for (let s = 1; s <= signals; s++)
    for (let i = 0; i < perSignal; i++)
      rows.push({ deviceId, signalId: s, timeMs: startMs + i * 1000, value: s * 100 + i });
  return rows;
}

/** [ttl, samples, device, hour, signal, minute] of each statement. */
type Params = [number, Buffer, string, number, number, number];

describe('appendStatements', () => {
  it("should make a vehicle's batch within one hour one partition, a statement per signal and minute", () => {
    const partitions = appendStatements(batch('veh-1', hourStart + 10_000, 30, 5), keep);
    expect(partitions).toHaveLength(1);
    const statements = partitions[0] as Params[];
    expect(statements).toHaveLength(30);
    for (const [i, p] of statements.entries()) {
      expect(p[2]).toBe('veh-1');
      expect(p[3]).toBe(hourStart / HOUR_MS);
      expect(p[4]).toBe(i + 1);
      expect(p[5]).toBe(0);
      expect(p[1].readInt32BE(0)).toBe(5); // five entries in the minute's map
    }
  });

  it('should split at minutes within the hour and at the hour, and keep vehicles apart', () => {
    const rows = [
      ...batch('veh-1', hourStart + HOUR_MS - 2_000, 2, 4), // 59:58 … 60:01: two hours
      ...batch('veh-2', hourStart + 59_000, 1, 3), // 00:59 … 01:01: two minutes
    ];
    const partitions = appendStatements(rows, keep).map((statements) =>
      (statements as Params[]).map((p) => [p[2], p[3] - hourStart / HOUR_MS, p[4], p[5]]),
    );
    expect(partitions).toEqual([
      [
        ['veh-1', 0, 1, 59],
        ['veh-1', 0, 2, 59],
      ],
      [
        ['veh-1', 1, 1, 0],
        ['veh-1', 1, 2, 0],
      ],
      [
        ['veh-2', 0, 1, 0],
        ['veh-2', 0, 1, 1],
      ],
    ]);
  });

  it('should leave out rows past their time and give a statement the least TTL of its samples', () => {
    const rows = batch('veh-1', hourStart, 1, 3);
    const ttls = new Map(rows.map((r, i) => [r, [100, undefined, 40][i]]));
    const statements = appendStatements(rows, (r) => ttls.get(r)).flat() as Params[];
    expect(statements).toHaveLength(1);
    const [ttl, samples] = statements[0] as Params;
    expect(ttl).toBe(40);
    expect(samples.readInt32BE(0)).toBe(2);
  });
});
