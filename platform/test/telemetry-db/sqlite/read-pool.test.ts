import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreBusyError, StoreClosedError, StoreUnavailableError } from '../../../src/errors.js';
import { ReadPool, type ReadPoolOptions } from '../../../src/telemetry-db/sqlite/read-pool.js';

/**
 * The pool of reader threads behind the SQLite telemetry database, with a stand-in reader thread.
 */

const script = pathToFileURL(join(import.meta.dirname, '../../fixtures/read-pool-worker.mjs'));
type Ops = {
  echo: (reads: unknown, arg: string) => { arg: string; threadId: number };
  fail: (reads: unknown, code: string) => never;
  exit: (reads: unknown, arg: undefined) => never;
  crash: (reads: unknown, arg: undefined) => never;
};

const pools: ReadPool<Ops>[] = [];
const pool = (o: Partial<ReadPoolOptions> = {}) => {
  const p = new ReadPool<Ops>({
    script,
    workerData: null,
    size: 2,
    maxQueue: 3,
    name: 'test store',
    ...o,
  });
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('ReadPool', () => {
  it('should run reads on its threads, let maxQueue wait and refuse the next at once', async () => {
    const p = pool({ size: 2, maxQueue: 3 });
    // Issued in one turn of the event loop: no thread can answer before all are placed.
    const accepted = ['a', 'b', 'c', 'd', 'e'].map((x) => p.run('echo', x));
    expect(p.waiting).toBe(3);
    const refused = await p.run('echo', 'f').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreBusyError);
    const busy = refused as StoreBusyError;
    expect(busy.code).toBe('STORE_BUSY');
    expect(busy.retryable).toBe(true);
    expect(busy.retryAfterSeconds).toBe(1);
    expect(busy.message).toMatch(/test store: too many reads at once/);
    expect(busy.message).toMatch(/SQLITE_READ_QUEUE/);
    // What was accepted is answered, in two threads.
    const answers = await Promise.all(accepted);
    expect(answers.map((a) => a.arg)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(new Set(answers.map((a) => a.threadId)).size).toBe(2);
    expect(p.waiting).toBe(0);
    expect((await p.run('echo', 'g')).arg).toBe('g');
  });

  it('should let no read wait with maxQueue 0', async () => {
    const p = pool({ size: 1, maxQueue: 0 });
    const first = p.run('echo', 'a');
    await expect(p.run('echo', 'b')).rejects.toBeInstanceOf(StoreBusyError);
    expect((await first).arg).toBe('a');
  });

  it('should fail only the read of a thread that dies, and serve the waiting reads on a new one', async () => {
    for (const op of ['exit', 'crash'] as const) {
      const p = pool({ size: 1, maxQueue: 5 });
      const dying = p.run(op, undefined);
      const waiting = [p.run('echo', 'x'), p.run('echo', 'y')];
      const err = await dying.catch((e: unknown) => e);
      expect(err, op).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message, op).toMatch(
        op === 'exit' ? /reader thread stopped during exit: exit code 3/ : /fell over/,
      );
      expect((await Promise.all(waiting)).map((a) => a.arg)).toEqual(['x', 'y']);
      expect((await p.run('echo', 'z')).arg).toBe('z');
    }
  });

  it('should reject a failed read with what its owner makes of the message and code', async () => {
    const plain = await pool()
      .run('fail', 'SQLITE_BUSY')
      .catch((e: unknown) => e);
    // By default: the thread's message and code, nothing decided about them here.
    expect(plain).toBeInstanceOf(Error);
    expect(plain).not.toBeInstanceOf(StoreUnavailableError);
    expect(plain).toMatchObject({ message: 'it failed', code: 'SQLITE_BUSY' });
    const owned = await pool({ failure: (message, code) => new RangeError(`${code}: ${message}`) })
      .run('fail', 'E_OWN')
      .catch((e: unknown) => e);
    expect(owned).toBeInstanceOf(RangeError);
    expect((owned as Error).message).toBe('E_OWN: it failed');
  });

  it('should fail waiting and running reads when closed, and refuse reads after', async () => {
    const p = pool({ size: 1, maxQueue: 2 });
    const [running, queued] = [p.run('echo', 'a'), p.run('echo', 'b')].map((r) =>
      r.then(
        (a) => a.arg,
        (e: unknown) => e,
      ),
    );
    await p.close();
    // The running read ends with its thread (or was answered just before); the waiting one
    // never started.
    const ran = await running;
    if (ran !== 'a') expect(ran).toBeInstanceOf(StoreClosedError);
    expect(await queued).toBeInstanceOf(StoreClosedError);
    await expect(p.run('echo', 'c')).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('should keep a process alive while a read runs, and not with idle threads', () => {
    // A process that reads once and never closes the pool: it gets the answer (a running
    // read holds it) and then exits on its own (idle threads do not).
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-read-pool-'));
    try {
      const main = join(dir, 'main.mjs');
      writeFileSync(
        main,
        `import { ReadPool } from ${JSON.stringify(join(import.meta.dirname, '../../../dist/telemetry-db/sqlite/read-pool.js'))};
        const pool = new ReadPool({ script: new URL(${JSON.stringify(script.href)}), workerData: null, size: 2, maxQueue: 1, name: 'x' });
        const a = await pool.run('echo', 'answered');
        console.log(a.arg);`,
      );
      const out = execFileSync(process.execPath, [main], { encoding: 'utf8', timeout: 20_000 });
      expect(out.trim()).toBe('answered');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
