import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { jsonArrayStream } from '../../src/api/json-array-stream.js';

describe('jsonArrayStream', () => {
  it('should write what JSON.stringify writes, for any length and slice size', async () => {
    const toJson = (n: number) => ({ t: `t${n}`, v: n / 3, nan: Number.NaN });
    for (const [length, slice] of [
      [0, 3],
      [1, 3],
      [3, 3],
      [7, 3],
      [10, 1],
      [2500, 1000],
    ] as const) {
      const items = Array.from({ length }, (_, i) => i - 2);
      expect(await text(jsonArrayStream(items, toJson, slice)), `${length}/${slice}`).toBe(
        JSON.stringify(items.map(toJson)),
      );
    }
  });

  it('should let the event loop run between slices', async () => {
    // A competing task that needs a turn of the loop each time it runs.
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const body = await text(
      jsonArrayStream(
        Array.from({ length: 100 }, (_, i) => i),
        (n) => n,
        10,
      ),
    );
    running = false;
    expect(JSON.parse(body)).toHaveLength(100);
    // Ten slices: the other task ran between each two of them at least.
    expect(turns).toBeGreaterThanOrEqual(9);
  });
});
