import { describe, expect, it } from 'vitest';
import { CleanupStack, startWithCleanup } from '../src/lifecycle.js';

describe('CleanupStack', () => {
  it('should close newest first, every closer even after one fails, and only once', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.defer(() => order.push('first'));
    stack.defer(async () => {
      order.push('second');
      throw new Error('second failed');
    });
    const resource = stack.adopt({ close: async () => void order.push('third') });
    expect(typeof resource.close).toBe('function');
    await expect(stack.close()).rejects.toThrow('second failed');
    expect(order).toEqual(['third', 'second', 'first']);
    await expect(stack.close()).rejects.toThrow('second failed');
    expect(order).toHaveLength(3);
    expect(() => stack.defer(() => {})).toThrow(/closed already/);
  });

  it('should report several failures together', async () => {
    const stack = new CleanupStack();
    stack.defer(() => {
      throw new Error('a');
    });
    stack.defer(() => {
      throw new Error('b');
    });
    const err = await stack.close().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(['b', 'a']);
  });
});

describe('startWithCleanup', () => {
  it('should release what a failed start opened and throw its error unchanged', async () => {
    const released: string[] = [];
    const boom = new Error('second listener: port in use');
    const started = startWithCleanup(async (cleanup) => {
      cleanup.defer(() => released.push('listener 1'));
      cleanup.defer(() => released.push('timer'));
      throw boom;
    });
    await expect(started).rejects.toBe(boom);
    expect(released).toEqual(['timer', 'listener 1']);
  });

  it('should keep a failure to release beside the start error', async () => {
    const boom = new Error('start failed');
    const started = startWithCleanup(async (cleanup) => {
      cleanup.defer(() => {
        throw new Error('close failed');
      });
      throw boom;
    });
    const err = (await started.catch((e: unknown) => e)) as Error & { suppressed?: Error };
    expect(err).toBe(boom);
    expect(err.suppressed?.message).toBe('close failed');
  });

  it('should hand a successful start its stack to close later', async () => {
    const released: string[] = [];
    const running = await startWithCleanup(async (cleanup) => {
      cleanup.defer(() => released.push('listener'));
      return { close: () => cleanup.close() };
    });
    expect(released).toEqual([]);
    await running.close();
    expect(released).toEqual(['listener']);
  });
});
