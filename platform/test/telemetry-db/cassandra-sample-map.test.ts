import cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { encodeSampleMap } from '../../src/telemetry-db/cassandra/samples.js';

/** The samples' map, encoded by hand for speed, must be the bytes the driver itself sends. */

// The driver's own encoder, as its client uses it (protocol v4), decoding maps as Map.
const Encoder = (cassandra as unknown as { Encoder: new (v: number, o: object) => DriverEncoder })
  .Encoder;
interface DriverEncoder {
  encode(value: unknown, type: object): Buffer;
  decode(bytes: Buffer, type: object): unknown;
}
const driver = new Encoder(4, { encoding: { map: Map } });
const { dataTypes } = cassandra.types;
const mapType = {
  code: dataTypes.map,
  info: [{ code: dataTypes.timestamp }, { code: dataTypes.double }],
};

describe('encodeSampleMap', () => {
  it('should write the bytes the driver writes for a map<timestamp, double>', () => {
    const samples = new Map<number, number>([
      [Date.UTC(2026, 11, 7, 12, 0, 0, 125), 88.25],
      [Date.UTC(2026, 11, 7, 12, 0, 1, 0), -0.5],
      [2 ** 40 + 7, Number.MAX_VALUE],
      [-1, 1e-300], // a time before 1970: the high word is negative
      [-(2 ** 35) - 3, Number.NaN],
      [0, 0],
    ]);
    const ours = encodeSampleMap([...samples.keys()], [...samples.values()]);
    const theirs = driver.encode(new Map([...samples].map(([t, v]) => [new Date(t), v])), mapType);
    expect(ours.equals(theirs)).toBe(true);
    const back = driver.decode(ours, mapType) as Map<Date, number>;
    expect([...back].map(([t, v]) => [t.getTime(), v])).toEqual([...samples]);
  });

  it('should write an empty map as a count of zero', () => {
    expect(encodeSampleMap([], [])).toEqual(Buffer.from([0, 0, 0, 0]));
  });
});
