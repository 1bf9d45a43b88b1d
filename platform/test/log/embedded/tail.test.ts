import { describe, expect, it } from 'vitest';
import { eventually } from '../../../../test-support/infra.js';
import { EmbeddedTail } from '../../../src/log/embedded/tail.js';
import type { LogRecord } from '../../../src/log/port.js';
import { MemorySource } from './memory-source.js';

describe('EmbeddedTail', () => {
  it('should read every partition of its topics from where each ended, and commit nothing', async () => {
    const source = new MemorySource({ t: 2, u: 1 });
    source.append('t', 0, 1);
    source.append('t', 1, 2);
    const got: LogRecord[] = [];
    const tail = new EmbeddedTail(source, {
      topics: ['t', 'u'],
      handle: async (records) => {
        got.push(...records);
      },
    });
    expect(tail.partitions).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
      { topic: 'u', partition: 0 },
    ]);
    source.append('t', 1, 3);
    source.append('u', 0, 4);
    source.append('t', 0, 5);
    await eventually(() => got.length === 3, 'the three records appended after it started');
    expect(got.map((r) => r.value[0]).sort()).toEqual([3, 4, 5]);
    expect(source.offsets.size).toBe(0);
    await tail.close();
    source.append('t', 0, 6);
    expect(got).toHaveLength(3);
  });

  it('should stop at a failed handling and report it', async () => {
    const source = new MemorySource({ t: 1 });
    const errors: Error[] = [];
    let calls = 0;
    const tail = new EmbeddedTail(source, {
      topics: ['t'],
      handle: async () => {
        calls++;
        throw new Error('handler failed');
      },
      onError: (e) => errors.push(e),
    });
    source.append('t', 0, 1);
    await eventually(() => errors.length === 1, 'the failure');
    source.append('t', 0, 2);
    await tail.close();
    expect(calls).toBe(1);
  });

  it('should read nothing of a topic that does not exist', async () => {
    const source = new MemorySource({});
    const tail = new EmbeddedTail(source, { topics: ['missing'], handle: async () => {} });
    expect(tail.partitions).toEqual([]);
    await tail.close();
  });
});
