import { ResponseError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { type Committable, commitHandled } from '../../../src/log/kafka/commit.js';

/** A consumed message whose commit writes `topic/partition@offset` to `log`, or is refused. */
const message = (
  log: string[],
  [topic, partition, offset]: [string, number, number],
  refusal?: Error,
): Committable => ({
  topic,
  partition,
  commit: async () => {
    if (refusal) throw refusal;
    log.push(`${topic}/${partition}@${offset}`);
  },
});

/** The broker's answer to OffsetCommit (API key 8) with one error code. */
const commitRefused = (code: number) => new ResponseError(8, 1, { '/topics/0': [code, null] }, {});

describe('commitHandled', () => {
  it('should commit once per partition, with the last message of the batch', async () => {
    const log: string[] = [];
    const batch = (
      [
        ['t', 0, 5],
        ['t', 1, 9],
        ['t', 0, 6],
        ['u', 0, 2],
        ['t', 0, 7],
      ] as [string, number, number][]
    ).map((at) => message(log, at));
    await commitHandled(batch);
    expect(log.sort()).toEqual(['t/0@7', 't/1@9', 'u/0@2']);
  });

  it('should take a commit refused by a rebalance for the partition moving away', async () => {
    // REBALANCE_IN_PROGRESS (27): the new owner re-handles from the last committed offset.
    const log: string[] = [];
    const batch = [message(log, ['t', 0, 3], commitRefused(27)), message(log, ['t', 1, 4])];
    await expect(commitHandled(batch)).resolves.toBeUndefined();
    expect(log).toEqual(['t/1@4']);
  });

  it('should fail with any other refusal', async () => {
    // OFFSET_METADATA_TOO_LARGE (12) has nothing to do with ownership.
    const refusal = commitRefused(12);
    await expect(commitHandled([message([], ['t', 0, 3], refusal)])).rejects.toBe(refusal);
  });
});
