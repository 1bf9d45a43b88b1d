import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, TestCleanup } from '../cleanup.js';

describe('TestCleanup', () => {
  it('should run the closers newest first, and forget them', async () => {
    const order: string[] = [];
    const cleanup = new TestCleanup();
    cleanup.defer(() => order.push('first'));
    cleanup.defer(async () => order.push('second'));
    const resource = cleanup.adopt({ close: () => order.push('third') });
    expect(resource).toHaveProperty('close');
    await cleanup.run();
    expect(order).toEqual(['third', 'second', 'first']);
    await cleanup.run();
    expect(order).toHaveLength(3);
  });

  it('should run every closer though one fails, then throw the failure', async () => {
    const ran: number[] = [];
    const cleanup = new TestCleanup();
    cleanup.defer(() => ran.push(1));
    cleanup.defer(() => {
      throw new Error('stop failed');
    });
    cleanup.defer(() => ran.push(3));
    await expect(cleanup.run()).rejects.toThrow('stop failed');
    expect(ran).toEqual([3, 1]);
  });

  it('should throw several failures together', async () => {
    const cleanup = new TestCleanup();
    cleanup.defer(() => Promise.reject(new Error('a')));
    cleanup.defer(() => Promise.reject(new Error('b')));
    const err = await cleanup.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(['b', 'a']);
  });

  it('should throw nothing with ignoreFailures, and still run every closer', async () => {
    const ran: number[] = [];
    const cleanup = new TestCleanup({ ignoreFailures: true });
    cleanup.defer(() => ran.push(1));
    cleanup.defer(() => Promise.reject(new Error('already stopped')));
    await expect(cleanup.run()).resolves.toBeUndefined();
    expect(ran).toEqual([1]);
  });
});

describe('cleanupAfterEach', () => {
  const cleanup = cleanupAfterEach();
  let stopped = 0;

  it('should leave what a test registers to after the test', () => {
    cleanup.defer(() => {
      stopped++;
    });
    expect(stopped).toBe(0);
  });

  it('should have run it before the next test', () => {
    expect(stopped).toBe(1);
  });
});
