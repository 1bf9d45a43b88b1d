import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Service } from '../../test-support/process.js';
import { StartAbortedError } from '../src/errors.js';
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

describe('startWithCleanup with an abort signal', () => {
  it('should end the start after the step in hand once aborted, closing what it opened', async () => {
    const abort = new AbortController();
    const log: string[] = [];
    const started = startWithCleanup(async (cleanup) => {
      cleanup.defer(() => log.push('closed one'));
      abort.abort('SIGTERM'); // during step two
      cleanup.defer(() => log.push('closed two'));
      log.push('step three');
      return 'started';
    }, abort.signal);
    const err = await started.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartAbortedError);
    expect((err as Error).message).toBe('start-up stopped by SIGTERM');
    expect(log).toEqual(['closed two', 'closed one']);
  });

  it('should not refuse a step once the start is over', async () => {
    const abort = new AbortController();
    let stack: CleanupStack | undefined;
    await startWithCleanup(async (cleanup) => {
      stack = cleanup;
    }, abort.signal);
    abort.abort('SIGTERM');
    expect(() => stack?.defer(() => {})).not.toThrow();
  });
});

/** A service process (fixtures/stoppable-service.mjs) stopped at known points of its start. */
describe('runService', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-run-service-'));
  const services: Service[] = [];
  afterAll(async () => {
    await Promise.all(services.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (env: Record<string, string> = {}) => {
    const s = Service.start('stoppable', 'platform/test/fixtures/stoppable-service.mjs', {
      FLEETLINE_DATA_DIR: dir,
      ...env,
    });
    services.push(s);
    return s;
  };
  const goAhead = (s: Service) => void s.kill('SIGUSR2');
  const lines = (s: Service) => s.output.filter((l) => !l.startsWith('{'));

  it('should stop a start between its steps on SIGTERM, close what it opened and exit 0', async () => {
    const s = start();
    await s.waitFor(/^opening one/);
    goAhead(s);
    await s.waitFor(/^opening two/);
    void s.kill('SIGTERM');
    await s.waitFor(/"msg":"shutting down: stopping the start-up"/);
    goAhead(s); // step two finishes; three never begins
    expect(await s.exited).toBe(0);
    expect(lines(s)).toEqual([
      'opening one',
      'opened one',
      'opening two',
      'closed two',
      'closed one',
    ]);
    expect(s.output.join('\n')).toMatch(/"msg":"stopped"/);
  });

  it('should close a start that finished after SIGTERM at once, and exit 0', async () => {
    const s = start();
    for (const step of ['one', 'two', 'three']) {
      await s.waitFor(new RegExp(`^opening ${step}`));
      goAhead(s);
    }
    await s.waitFor(/^finishing/);
    void s.kill('SIGTERM');
    await s.waitFor(/"msg":"shutting down: stopping the start-up"/);
    goAhead(s);
    expect(await s.exited).toBe(0);
    expect(lines(s).slice(-6)).toEqual([
      'finishing',
      'running',
      'closing',
      'closed three',
      'closed two',
      'closed one',
    ]);
  });

  it('should close a running service on SIGTERM and exit 0', async () => {
    const s = start();
    for (const step of ['one', 'two', 'three', 'finishing']) {
      await s.waitFor(new RegExp(`^(opening )?${step}`));
      goAhead(s);
    }
    await s.waitFor(/^running/);
    expect(await s.stop()).toBe(0);
    expect(lines(s).slice(-4)).toEqual(['closing', 'closed three', 'closed two', 'closed one']);
    expect(s.output.join('\n')).toMatch(/"msg":"shutting down"/);
  });

  it('should exit at once on a second signal, and with 1 when stopping takes too long', async () => {
    for (const [second, code] of [
      [true, 130],
      [false, 1],
    ] as const) {
      const s = start({ HANG_ON_CLOSE: '1', STOP_DEADLINE_MS: '500' });
      for (const step of ['one', 'two', 'three', 'finishing']) {
        await s.waitFor(new RegExp(`^(opening )?${step}`));
        goAhead(s);
      }
      await s.waitFor(/^running/);
      void s.kill('SIGTERM');
      await s.waitFor(/^closing/);
      if (second) void s.kill('SIGINT');
      expect(await s.exited, `second signal: ${second}`).toBe(code);
    }
  });
});
