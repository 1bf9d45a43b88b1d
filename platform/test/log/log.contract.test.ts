import { describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '../../../test-support/infra.js';
import { partitionForKey } from '../../src/log/partitioner.js';
import type { LogRecord } from '../../src/log/port.js';
import { contractAdapters, contractFixture, dec, record } from './log-contract.fixture.js';

/** The one contract every Log adapter passes. */

for (const adapter of await contractAdapters()) {
  describe.skipIf(adapter.skip)(`Log contract: ${adapter.name}`, () => {
    const { open, consumers, openLog, topicWith, collect, tailInto } = contractFixture(adapter);

    it('should deliver every record once to a group, in order per key, with key and headers intact', async () => {
      const log = openLog();
      const topic = await topicWith(log);
      const producer = await log.createProducer();
      const keys = Array.from({ length: 20 }, (_, i) => `vehicle-${i}`);
      for (let n = 0; n < 15; n++) {
        await producer.send(keys.map((k) => record(topic, k, n)));
      }
      const got: LogRecord[] = [];
      await collect(log, uniqueName('g'), topic, got);
      await eventually(() => got.length >= 300, '300 records');
      expect(got).toHaveLength(300);
      for (const key of keys) {
        const mine = got.filter((r) => r.key === key);
        expect(mine.map((r) => dec.decode(r.value))).toEqual(
          Array.from({ length: 15 }, (_, n) => `${key}:${n}`),
        );
        expect(mine.map((r) => r.headers.n)).toEqual(
          Array.from({ length: 15 }, (_, n) => String(n)),
        );
        expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      }
      await producer.close();
    });

    it('should keep order per key across concurrent sends, as a gateway makes them', async () => {
      const log = openLog();
      const topic = await topicWith(log);
      const producer = await log.createProducer();
      const keys = Array.from({ length: 8 }, (_, i) => `device-${i}`);
      // Each key's sends start in order without waiting for the previous one to resolve.
      const sends: Promise<void>[] = [];
      for (let n = 0; n < 100; n++) {
        for (const key of keys) sends.push(producer.send([record(topic, key, n)]));
      }
      await Promise.all(sends);
      const got: LogRecord[] = [];
      await collect(log, uniqueName('g'), topic, got);
      await eventually(() => got.length >= 800, '800 records');
      expect(got).toHaveLength(800);
      for (const key of keys) {
        expect(got.filter((r) => r.key === key).map((r) => Number(r.headers.n))).toEqual([
          ...Array(100).keys(),
        ]);
      }
      await producer.close();
    });

    it('should place each key on the partition of Kafka’s murmur2 partitioner', async () => {
      // Every adapter agrees (and with Kafka's Java clients), so moving between them keeps a
      // device on one partition and its records in order.
      const log = openLog();
      const topic = await topicWith(log, 6);
      const producer = await log.createProducer();
      const keys = Array.from({ length: 40 }, (_, i) => `vehicle-${i * 7919}`);
      await producer.send(keys.map((k) => record(topic, k, 0)));
      const got: LogRecord[] = [];
      await collect(log, uniqueName('g'), topic, got);
      await eventually(() => got.length >= keys.length, `${keys.length} records`);
      for (const r of got) expect([r.key, r.partition]).toEqual([r.key, partitionForKey(r.key, 6)]);
      expect(new Set(got.map((r) => r.partition)).size).toBeGreaterThan(1);
      await producer.close();
    });

    it('should keep delivering records produced after the consumer joined', async () => {
      const log = openLog();
      const topic = await topicWith(log, 4);
      const got: LogRecord[] = [];
      await collect(log, uniqueName('g'), topic, got);
      const producer = await log.createProducer();
      // One at a time, as devices publish: each must reach the running consumer.
      for (let n = 0; n < 30; n++) {
        await producer.send([record(topic, `k${n % 7}`, n)]);
      }
      await eventually(() => got.length >= 30, '30 records produced after the join');
      expect(got.map((r) => Number(r.headers.n)).sort((a, b) => a - b)).toEqual([
        ...Array(30).keys(),
      ]);
    });

    it('should resume a group after its committed offsets', async () => {
      const log = openLog();
      const topic = await topicWith(log);
      const producer = await log.createProducer();
      const group = uniqueName('g');
      await producer.send(Array.from({ length: 40 }, (_, n) => record(topic, `k${n % 5}`, n)));
      const first: LogRecord[] = [];
      const c1 = await collect(log, group, topic, first);
      await eventually(() => first.length >= 40, 'first 40 records');
      await c1.close();
      await producer.send(Array.from({ length: 40 }, (_, n) => record(topic, `k${n % 5}`, 40 + n)));
      const second: LogRecord[] = [];
      await collect(log, group, topic, second);
      await eventually(() => second.length >= 40, 'next 40 records');
      const ns = second.map((r) => Number(r.headers.n)).sort((a, b) => a - b);
      expect(ns).toEqual(Array.from({ length: 40 }, (_, n) => 40 + n));
    });

    it('should hand records whose handling failed to the next consumer of the group', async () => {
      const log = openLog();
      const topic = await topicWith(log, 1);
      const producer = await log.createProducer();
      const group = uniqueName('g');
      await producer.send(Array.from({ length: 10 }, (_, n) => record(topic, 'k', n)));
      const errors: Error[] = [];
      const failing: LogRecord[] = [];
      const c1 = await collect(log, group, topic, failing, {
        failFirst: true,
        onError: (e) => errors.push(e),
      });
      await eventually(() => errors.length > 0, 'the handler error to be reported');
      expect(errors[0]?.message).toMatch(/on purpose/);
      expect(failing).toHaveLength(0);
      await c1.close();
      const retry: LogRecord[] = [];
      await collect(log, group, topic, retry);
      await eventually(() => retry.length >= 10, 'the 10 records again');
      expect(retry.map((r) => Number(r.headers.n))).toEqual([...Array(10).keys()]);
    });

    it('should share partitions within a group and give every group everything', async () => {
      const log = openLog();
      const topic = await topicWith(log, 4);
      const producer = await log.createProducer();
      const groupA = uniqueName('a');
      const a1: LogRecord[] = [];
      const a2: LogRecord[] = [];
      const b: LogRecord[] = [];
      await collect(log, groupA, topic, a1);
      await collect(log, groupA, topic, a2);
      await collect(log, uniqueName('b'), topic, b);
      let n = 0;
      // Keep producing until both members of group A have received records: the second
      // member's join may take a rebalance.
      await eventually(
        async () => {
          await producer.send(Array.from({ length: 20 }, () => record(topic, `k${n % 16}`, n++)));
          return a1.length > 0 && a2.length > 0;
        },
        'both members of a group to receive records',
        30_000,
        200,
      );
      const seen = (rs: LogRecord[]) => new Set(rs.map((r) => Number(r.headers.n)));
      await eventually(() => seen(b).size === n && seen([...a1, ...a2]).size === n, 'all records');
      expect(seen(b).size).toBe(n);
      expect(seen([...a1, ...a2]).size).toBe(n);
    });

    it('should give one member of a group the same partitions of every topic it consumes', async () => {
      const log = openLog();
      const [telemetry, events] = [await topicWith(log, 3), await topicWith(log, 3)];
      const producer = await log.createProducer();
      const group = uniqueName('g');
      const seenBy = [new Map<string, Set<string>>(), new Map<string, Set<string>>()];
      for (const seen of seenBy) {
        consumers.push(
          await log.consume({
            groupId: group,
            topics: [telemetry, events],
            maxBatch: 50,
            handle: async (records) => {
              for (const r of records) {
                const topics = seen.get(r.key) ?? new Set<string>();
                topics.add(r.topic === telemetry ? 'telemetry' : 'events');
                seen.set(r.key, topics);
              }
            },
            onError: () => {},
          }),
        );
      }
      const keys = Array.from({ length: 12 }, (_, i) => `vehicle-${i}`);
      // Keep producing to both topics until both members have records (a join may rebalance).
      await eventually(
        async () => {
          await producer.send(keys.flatMap((k) => [record(telemetry, k, 0), record(events, k, 0)]));
          return seenBy.every((m) => m.size > 0);
        },
        'both members to receive records',
        30_000,
        300,
      );
      // After the group settled, every key's telemetry and events go to one member.
      for (const m of seenBy) m.clear();
      await producer.send(keys.flatMap((k) => [record(telemetry, k, 1), record(events, k, 1)]));
      await eventually(
        () => keys.every((k) => seenBy.some((m) => m.get(k)?.size === 2)),
        'each key’s two topics at one member',
        30_000,
      );
      for (const k of keys) {
        expect(seenBy.filter((m) => m.has(k)).length, k).toBe(1);
      }
      await producer.close();
    });

    it('should tell each member its partitions at every change, and hand it records of those only', async () => {
      const log = openLog();
      const topic = await topicWith(log, 4);
      const producer = await log.createProducer();
      const group = uniqueName('g');
      const members = [0, 1].map(() => ({
        assigned: [] as number[],
        outside: [] as number[],
        records: 0,
      }));
      const join = async (m: (typeof members)[number]) => {
        const consumer = await log.consume({
          groupId: group,
          topics: [topic],
          maxBatch: 50,
          onAssigned: (partitions) => {
            m.assigned = partitions.map((p) => p.partition).sort();
          },
          handle: async (records) => {
            for (const r of records) {
              m.records++;
              if (!m.assigned.includes(r.partition)) m.outside.push(r.partition);
            }
          },
          onError: () => {},
        });
        consumers.push(consumer);
        return consumer;
      };
      const [a, b] = members as [(typeof members)[number], (typeof members)[number]];
      await join(a);
      await eventually(() => a.assigned.length === 4, 'the lone member to own all 4 partitions');
      const second = await join(b);
      let n = 0;
      await eventually(
        async () => {
          await producer.send(Array.from({ length: 16 }, () => record(topic, `k${n % 16}`, n++)));
          return a.assigned.length === 2 && b.assigned.length === 2 && b.records > 0;
        },
        'the partitions split 2 + 2 and the new member receiving',
        30_000,
        200,
      );
      expect([...a.assigned, ...b.assigned].sort()).toEqual([0, 1, 2, 3]);
      consumers.splice(consumers.indexOf(second), 1);
      await second.close();
      await eventually(
        async () => {
          await producer.send([record(topic, `k${n % 16}`, n++)]);
          return a.assigned.length === 4;
        },
        'the remaining member to own all 4 partitions again',
        30_000,
        200,
      );
      expect(a.outside).toEqual([]);
      expect(b.outside).toEqual([]);
      await producer.close();
    });

    it('should start a new group at the end of the log when asked to (startAt latest)', async () => {
      const log = openLog();
      const topic = await topicWith(log, 2);
      const producer = await log.createProducer();
      await producer.send(Array.from({ length: 10 }, (_, i) => record(topic, `k${i}`, i)));
      const got: LogRecord[] = [];
      let assigned = false;
      consumers.push(
        await log.consume({
          groupId: uniqueName('live'),
          topics: [topic],
          startAt: 'latest',
          onAssigned: (p) => {
            assigned = p.length === 2;
          },
          handle: async (records) => {
            got.push(...records);
          },
          onError: () => {},
        }),
      );
      await eventually(() => assigned, 'the live member to be assigned both partitions');
      // Records sent after joining arrive; the ten before do not. Keep sending until one
      // arrives: the member fetches from the end once its partitions are resolved.
      let n = 10;
      await eventually(
        async () => {
          await producer.send([record(topic, `k${n % 10}`, n++)]);
          return got.length > 0;
        },
        'a record sent after joining',
        30_000,
        300,
      );
      expect(got.every((r) => Number(r.headers.n) >= 10)).toBe(true);
      await producer.close();
    });

    it('should keep acknowledged records across a restart of the log', async () => {
      const log = openLog();
      const topic = await topicWith(log, 2);
      const producer = await log.createProducer();
      await producer.send(Array.from({ length: 25 }, (_, n) => record(topic, `k${n % 3}`, n)));
      await producer.close();
      await log.close();
      open.splice(open.indexOf(log), 1);
      const reopened = openLog();
      const got: LogRecord[] = [];
      await collect(reopened, uniqueName('g'), topic, got);
      await eventually(() => got.length >= 25, '25 records after restart');
      expect(got.map((r) => Number(r.headers.n)).sort((x, y) => x - y)).toEqual([
        ...Array(25).keys(),
      ]);
    });

    it('should tail a topic from its end: every record appended after, in order per key, none before', async () => {
      const log = openLog();
      const topic = await topicWith(log, 3);
      const producer = await log.createProducer();
      await producer.send(Array.from({ length: 10 }, (_, n) => record(topic, `k${n % 5}`, n)));
      const got: LogRecord[] = [];
      const tail = await tailInto(log, topic, got);
      expect(tail.partitions.map((p) => [p.topic, p.partition])).toEqual([
        [topic, 0],
        [topic, 1],
        [topic, 2],
      ]);
      // One at a time, as devices publish, then in a burst.
      for (let n = 10; n < 20; n++) await producer.send([record(topic, `k${n % 5}`, n)]);
      await producer.send(Array.from({ length: 40 }, (_, i) => record(topic, `k${i % 5}`, 20 + i)));
      await eventually(() => got.length >= 50, '50 records appended after the tail started');
      expect(got).toHaveLength(50);
      for (let k = 0; k < 5; k++) {
        const mine = got.filter((r) => r.key === `k${k}`);
        expect(mine.map((r) => Number(r.headers.n))).toEqual(
          Array.from({ length: 10 }, (_, i) => 10 + k + 5 * i),
        );
        expect(mine.map((r) => dec.decode(r.value))).toEqual(
          mine.map((r) => `k${k}:${r.headers.n}`),
        );
        expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      }
      await producer.close();
    });

    it('should read a tail apart from every group: each tail and group gets everything', async () => {
      const log = openLog();
      const topic = await topicWith(log, 2);
      const producer = await log.createProducer();
      await producer.send([record(topic, 'k0', 0)]);
      const t1: LogRecord[] = [];
      const t2: LogRecord[] = [];
      const fromGroup: LogRecord[] = [];
      await tailInto(log, topic, t1);
      await tailInto(log, topic, t2);
      await producer.send(Array.from({ length: 20 }, (_, i) => record(topic, `k${i % 4}`, 1 + i)));
      await eventually(() => t1.length >= 20 && t2.length >= 20, 'both tails to have all 20');
      // The tails committed nothing: a new group starts at the earliest record and sees all 21.
      await collect(log, uniqueName('g'), topic, fromGroup);
      await eventually(() => fromGroup.length >= 21, 'the group to have all 21');
      const ns = (rs: LogRecord[]) => rs.map((r) => Number(r.headers.n)).sort((a, b) => a - b);
      expect(ns(t1)).toEqual(Array.from({ length: 20 }, (_, i) => 1 + i));
      expect(ns(t2)).toEqual(ns(t1));
      expect(ns(fromGroup)).toEqual([0, ...ns(t1)]);
      await producer.close();
    });

    it('should hand a tail one batch at a time, the next after the handling, and stop on a failure', async () => {
      const log = openLog();
      const topic = await topicWith(log, 1);
      const producer = await log.createProducer();
      let inHand = 0;
      let overlapped = false;
      const batches: number[][] = [];
      const errors: Error[] = [];
      const tail = await log.tail({
        topics: [topic],
        maxBatch: 4,
        handle: async (records) => {
          overlapped ||= ++inHand > 1;
          batches.push(records.map((r) => Number(r.headers.n)));
          await new Promise((resolve) => setImmediate(resolve));
          inHand--;
          if (records.some((r) => r.headers.n === '15')) throw new Error('failed on purpose');
        },
        onError: (e) => errors.push(e),
      });
      consumers.push(tail);
      await producer.send(Array.from({ length: 20 }, (_, n) => record(topic, 'k', n)));
      await eventually(() => errors.length > 0, 'the failure to be reported');
      expect(errors[0]?.message).toMatch(/on purpose/);
      expect(overlapped).toBe(false);
      expect(batches.every((b) => b.length <= 4)).toBe(true);
      // In order, and nothing after the batch that failed.
      expect(batches.flat()).toEqual(Array.from({ length: batches.flat().length }, (_, n) => n));
      expect(batches.flat().at(-1)).toBeLessThan(20);
      expect(batches.flat()).toContain(15);
      const handled = batches.flat().length;
      await producer.send([record(topic, 'k', 20)]);
      await tail.close();
      consumers.splice(consumers.indexOf(tail), 1);
      expect(batches.flat()).toHaveLength(handled);
      await producer.close();
    });
  });
}
