import { describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '../../../test-support/infra.js';
import type { Log, LogRecord } from '../../src/log/port.js';
import { contractAdapters, contractFixture, record } from './log-contract.fixture.js';

/**
 * The Log contract for consumers with several batches in hand (inFlight) and urgent topics:
 * the next batches come before the earlier ones resolve, in partition order, and offsets are
 * committed only as far as every earlier batch resolved.
 */

/** A handler whose calls wait until the test settles them, one by one, in any order. */
function heldHandler() {
  const calls: { records: LogRecord[]; resolve(): void; reject(e: Error): void }[] = [];
  return {
    calls,
    handle: (records: readonly LogRecord[]) =>
      new Promise<void>((resolve, reject) =>
        calls.push({ records: [...records], resolve, reject }),
      ),
    ns: (from = 0, to = calls.length) =>
      calls.slice(from, to).flatMap((c) => c.records.map((r) => Number(r.headers.n))),
  };
}

for (const adapter of await contractAdapters()) {
  describe.skipIf(adapter.skip)(`Log contract, batches in flight: ${adapter.name}`, () => {
    const { consumers, openLog, topicWith, collect } = contractFixture(adapter);

    /** The n of every record a fresh member of `group` is handed, once it has `count`. */
    async function redelivered(log: Log, group: string, topic: string, count: number) {
      const again: LogRecord[] = [];
      await collect(log, group, topic, again);
      await eventually(() => again.length >= count, `${count} records delivered again`);
      return again.map((r) => Number(r.headers.n)).sort((a, b) => a - b);
    }

    it('should hand over up to inFlight batches of a partition in order, and commit none after one that failed', async () => {
      const log = openLog();
      const topic = await topicWith(log, 1);
      const producer = await log.createProducer();
      const group = uniqueName('g');
      await producer.send(Array.from({ length: 40 }, (_, n) => record(topic, 'k', n)));
      const h = heldHandler();
      const errors: Error[] = [];
      const consumer = await log.consume({
        groupId: group,
        topics: [topic],
        maxBatch: 5,
        inFlight: 3,
        handle: h.handle,
        onError: (e) => errors.push(e),
      });
      consumers.push(consumer);
      await eventually(() => h.calls.length === 3, 'three batches in hand at once');
      expect(h.ns()).toEqual([...Array(h.ns().length).keys()]);
      // A later batch resolving frees its slot: the next batch comes, still in order.
      h.calls[2]?.resolve();
      await eventually(() => h.calls.length === 4, 'a fourth batch once a slot came free');
      expect(h.ns()).toEqual([...Array(h.ns().length).keys()]);
      h.calls[1]?.resolve();
      h.calls[0]?.reject(new Error('first batch failed on purpose'));
      await eventually(() => errors.length === 1, 'the failure reported');
      expect(errors[0]?.message).toMatch(/on purpose/);
      // The fourth, in hand already, completes; none comes after the failure.
      h.calls[3]?.resolve();
      await consumer.close();
      expect(h.calls).toHaveLength(4);
      // Batches 2 to 4 resolved, but after batch 1 that failed: none of them was committed.
      expect(await redelivered(log, group, topic, 40)).toEqual([...Array(40).keys()]);
    });

    it('should commit batches that resolved out of order once every earlier one did', async () => {
      const log = openLog();
      const topic = await topicWith(log, 1);
      const producer = await log.createProducer();
      const group = uniqueName('g');
      await producer.send(Array.from({ length: 15 }, (_, n) => record(topic, 'k', n)));
      const h = heldHandler();
      const consumer = await log.consume({
        groupId: group,
        topics: [topic],
        maxBatch: 5,
        inFlight: 3,
        handle: h.handle,
      });
      consumers.push(consumer);
      await eventually(() => h.ns().length === 15, 'all 15 records handed over');
      for (const i of [2, 1, 0]) h.calls[i]?.resolve();
      await consumer.close();
      await producer.send(Array.from({ length: 5 }, (_, n) => record(topic, 'k', 15 + n)));
      expect(await redelivered(log, group, topic, 5)).toEqual([15, 16, 17, 18, 19]);
    });

    it('should hand over urgent records while a routine batch is in hand, and commit them in call order', async () => {
      const log = openLog();
      const routine = await topicWith(log, 1);
      const urgent = await topicWith(log, 1);
      const producer = await log.createProducer();
      const group = uniqueName('g');
      const h = heldHandler();
      const errors: Error[] = [];
      const consumer = await log.consume({
        groupId: group,
        topics: [routine, urgent],
        urgentTopics: [urgent],
        maxBatch: 50,
        handle: h.handle,
        onError: (e) => errors.push(e),
      });
      consumers.push(consumer);
      await producer.send(Array.from({ length: 10 }, (_, n) => record(routine, 'k', n)));
      await eventually(() => h.calls.length >= 1, 'a routine batch in hand');
      await producer.send([record(urgent, 'k', 100), record(urgent, 'k', 101)]);
      await eventually(() => h.ns().includes(101), 'the urgent records beside it');
      const urgentCalls = h.calls.filter((c) => c.records.some((r) => r.topic === urgent));
      for (const c of urgentCalls) expect(c.records.every((r) => r.topic === urgent)).toBe(true);
      expect(h.ns().filter((n) => n >= 100)).toEqual([100, 101]);
      // The urgent batches resolve, the routine one before them fails: nothing is committed.
      for (const c of urgentCalls) c.resolve();
      h.calls[0]?.reject(new Error('routine batch failed on purpose'));
      await eventually(() => errors.length === 1, 'the failure reported');
      await consumer.close();
      // The next member handles as it is handed (one batch in hand at a time: the topics'
      // records may come in several batches).
      const again: number[] = [];
      const next = await log.consume({
        groupId: group,
        topics: [routine, urgent],
        handle: async (records) => void again.push(...records.map((r) => Number(r.headers.n))),
      });
      consumers.push(next);
      await eventually(
        () => again.length >= 12,
        () => `every record delivered again (${again.length}: ${again})`,
      );
      expect(again.sort((a, b) => a - b)).toEqual([...Array(10).keys(), 100, 101]);
    });
  });
}
