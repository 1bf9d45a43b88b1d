import { IS_CONTROL } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { fetchedRecords, fetchRequests, type TailPosition } from '../../../src/log/kafka/tail.js';

const metadata = {
  topics: new Map([
    ['t', { id: 'id-t', partitions: [{ leader: 1 }, { leader: 2 }, { leader: 1 }] }],
    ['u', { id: 'id-u', partitions: [{ leader: -1 }] }],
  ]),
} as unknown as Parameters<typeof fetchRequests>[0];

describe('fetchRequests', () => {
  it('should ask each leader for its partitions from their positions, skipping those without one', () => {
    const positions: TailPosition[] = [
      { topic: 't', partition: 0, offset: 5n },
      { topic: 't', partition: 1, offset: 7n },
      { topic: 't', partition: 2, offset: 0n },
      { topic: 'u', partition: 0, offset: 3n },
    ];
    const requests = fetchRequests(metadata, positions);
    expect([...requests.keys()].sort()).toEqual([1, 2]);
    const asked = (node: number) =>
      requests
        .get(node)
        ?.flatMap((t) => t.partitions.map((p) => [t.topicId, p.partition, p.fetchOffset]));
    expect(asked(1)).toEqual([
      ['id-t', 0, 5n],
      ['id-t', 2, 0n],
    ]);
    expect(asked(2)).toEqual([['id-t', 1, 7n]]);
  });
});

/** A record batch as the client parses it: records at offsets first.. with bytes. */
function batch(firstOffset: bigint, values: string[], attributes = 0) {
  return {
    firstOffset,
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 1_000n,
    attributes,
    records: values.map((v, i) => ({
      offsetDelta: i,
      timestampDelta: BigInt(i),
      key: Buffer.from('veh-1'),
      value: Buffer.from(v),
      headers: [[Buffer.from('h'), Buffer.from(v)]] as [Buffer, Buffer][],
    })),
  };
}

const response = (partitions: { partitionIndex: number; records?: unknown[] }[]) =>
  ({ responses: [{ topicId: 'id-t', partitions }] }) as unknown as Parameters<
    typeof fetchedRecords
  >[0][number];

describe('fetchedRecords', () => {
  it('should turn batches into the Log’s records, skipping those before the position and control batches', () => {
    const positions: TailPosition[] = [
      { topic: 't', partition: 0, offset: 11n },
      { topic: 't', partition: 1, offset: 0n },
    ];
    const { records, next } = fetchedRecords(
      [
        response([
          // A batch is returned whole: offsets 10 and 11, the position is 11.
          { partitionIndex: 0, records: [batch(10n, ['a', 'b']), batch(12n, ['c'])] },
          { partitionIndex: 1 },
        ]),
        response([{ partitionIndex: 2, records: [batch(0n, ['x'])] }]),
      ],
      new Map([['id-t', 't']]),
      positions,
    );
    expect(records).toEqual([
      {
        topic: 't',
        partition: 0,
        offset: 11,
        key: 'veh-1',
        value: new Uint8Array(Buffer.from('b')),
        headers: { h: 'b' },
        timestampMs: 1001,
      },
      {
        topic: 't',
        partition: 0,
        offset: 12,
        key: 'veh-1',
        value: new Uint8Array(Buffer.from('c')),
        headers: { h: 'c' },
        timestampMs: 1000,
      },
    ]);
    // Partition 1 had nothing; partition 2 is not read.
    expect([...next]).toEqual([['t\u00000', 13n]]);
  });

  it('should move past a transaction marker without handing it over', () => {
    const { records, next } = fetchedRecords(
      [response([{ partitionIndex: 0, records: [batch(4n, ['marker'], IS_CONTROL)] }])],
      new Map([['id-t', 't']]),
      [{ topic: 't', partition: 0, offset: 4n }],
    );
    expect(records).toEqual([]);
    expect(next.get('t\u00000')).toBe(5n);
  });
});
