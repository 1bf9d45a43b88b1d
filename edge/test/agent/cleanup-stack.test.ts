import { describe, expect, it } from 'vitest';
import { CleanupStack, startWithCleanup } from '../../src/agent/cleanup-stack.js';

describe('CleanupStack', () => {
  it('should run the closers newest first, waiting for each', async () => {
    const stack = new CleanupStack();
    const order: string[] = [];
    stack.defer(() => order.push('spool'));
    stack.defer(async () => {
      await new Promise((r) => setImmediate(r));
      order.push('uplink');
    });
    stack.defer(() => order.push('input'));
    await stack.close();
    expect(order).toEqual(['input', 'uplink', 'spool']);
  });

  it('should run every closer when some fail, then throw the one failure as it is', async () => {
    const stack = new CleanupStack();
    const order: string[] = [];
    const failure = new Error('spool close failed');
    stack.defer(() => order.push('first'));
    stack.defer(() => {
      throw failure;
    });
    stack.defer(() => order.push('last'));
    await expect(stack.close()).rejects.toBe(failure);
    expect(order).toEqual(['last', 'first']);
  });

  it('should throw an AggregateError with every failure when several closers fail', async () => {
    const stack = new CleanupStack();
    stack.defer(() => Promise.reject(new Error('a')));
    stack.defer(() => Promise.reject(new Error('b')));
    const err = await stack.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(['b', 'a']);
  });

  it('should close once: a second close shares the first and runs nothing again', async () => {
    const stack = new CleanupStack();
    let runs = 0;
    stack.defer(() => runs++);
    await Promise.all([stack.close(), stack.close()]);
    await stack.close();
    expect(runs).toBe(1);
    expect(() => stack.defer(() => {})).toThrow(/closed already/);
  });

  it('should close what adopt() registered and hand the resource back', async () => {
    const stack = new CleanupStack();
    let closed = false;
    const resource = { close: () => (closed = true) };
    expect(stack.adopt(resource)).toBe(resource);
    await stack.close();
    expect(closed).toBe(true);
  });
});

describe('startWithCleanup', () => {
  it('should resolve with what the start returned and close nothing', async () => {
    let closed = false;
    const started = await startWithCleanup(async (cleanup) => {
      cleanup.defer(() => (closed = true));
      return 'running';
    });
    expect(started).toBe('running');
    expect(closed).toBe(false);
  });

  it('should close what a failed start opened, newest first, and throw its error unchanged', async () => {
    const order: string[] = [];
    const failure = new Error('metrics port taken');
    const started = startWithCleanup(async (cleanup) => {
      cleanup.defer(() => order.push('spool'));
      cleanup.defer(() => order.push('input'));
      throw failure;
    });
    await expect(started).rejects.toBe(failure);
    expect(order).toEqual(['input', 'spool']);
  });

  it('should attach a failure to close as suppressed to the start error', async () => {
    const closeFailure = new Error('spool close failed');
    const err = await startWithCleanup(async (cleanup) => {
      cleanup.defer(() => {
        throw closeFailure;
      });
      throw new Error('input did not start');
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { suppressed?: unknown },
    );
    expect(err?.message).toBe('input did not start');
    expect(err?.suppressed).toBe(closeFailure);
  });
});
