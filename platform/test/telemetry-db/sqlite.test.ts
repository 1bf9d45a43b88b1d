import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The built adapter: its reads run in worker threads, which load the built worker module.
import {
  type SampleRow,
  SqliteTelemetryDb,
  StoreBusyError,
  StoreClosedError,
  StoreRejectedError,
  StoreUnavailableError,
} from '@fleetline/platform';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';

/**
 * What the SQLite adapter adds to the TelemetryDb contract: expensive reads on reader threads that
 * see every committed write, summarised buckets, and a bounded read queue.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const open: SqliteTelemetryDb[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
let n = 0;
const openTelemetryDb = (o: { readWorkers?: number; readQueue?: number } = {}) => {
  const s = new SqliteTelemetryDb({
    path: join(dir, `store-${++n}.sqlite`),
    samplesTtlDays: 0,
    ...o,
  });
  open.push(s);
  return s;
};

const t0 = Date.UTC(2026, 10, 20);
const rows = (
  deviceId: string,
  count: number,
  stepMs: number,
  from = t0,
  value = (i: number) => i,
) =>
  Array.from(
    { length: count },
    (_, i): SampleRow => ({ deviceId, signalId: 7, timeMs: from + i * stepMs, value: value(i) }),
  );

describe('SqliteTelemetryDb reads', () => {
  it('should see every write that resolved before the read was asked for', async () => {
    const telemetryDb = openTelemetryDb();
    for (let i = 0; i < 40; i++) {
      await telemetryDb.writeSamples(rows('veh', 50, 1, t0 + i * 50));
      await telemetryDb.markSeen([{ deviceId: `veh-${i}`, lastSeenMs: t0 + i }]);
      // Reads in flight on both threads while the main connection writes the next batch.
      const [samples, vehicles] = await Promise.all([
        telemetryDb.querySamples({
          deviceId: 'veh',
          signalId: 7,
          fromMs: t0,
          toMs: t0 + 1e9,
          limit: 1e6,
        }),
        telemetryDb.listVehicles(),
      ]);
      expect(samples).toHaveLength((i + 1) * 50);
      expect(vehicles).toHaveLength(i + 1);
    }
    await telemetryDb.writeEvents([
      { deviceId: 'veh', seq: 1, timeMs: t0, kind: 'troubleCodes', detail: '{"codes":["P0217"]}' },
    ]);
    const [event] = await telemetryDb.listEvents({
      deviceId: 'veh',
      fromMs: t0,
      toMs: t0 + 1,
      limit: 10,
    });
    expect(event).toMatchObject({ seq: 1, kind: 'troubleCodes', detail: '{"codes":["P0217"]}' });
  });

  it('should summarise samples in buckets of equal width, leaving out empty ones', async () => {
    const telemetryDb = openTelemetryDb();
    // Every 10 ms for 1 s, value = index; a gap in [300, 500) ms; one sample before and at `to`.
    await telemetryDb.writeSamples([
      ...rows('veh', 100, 10, t0, (i) => i * 0.5 - 7).filter(
        (r) => r.timeMs - t0 < 300 || r.timeMs - t0 >= 500,
      ),
      { deviceId: 'veh', signalId: 7, timeMs: t0 - 1, value: 1e9 },
      { deviceId: 'veh', signalId: 7, timeMs: t0 + 1000, value: 1e9 },
    ]);
    const q = { deviceId: 'veh', signalId: 7, fromMs: t0, toMs: t0 + 1000, maxSamples: 1000 };
    const buckets = await telemetryDb.bucketSamples({ ...q, widthMs: 100 });
    expect(buckets?.map((b) => b.startMs - t0)).toEqual([0, 100, 200, 500, 600, 700, 800, 900]);
    expect(buckets?.[0]).toEqual({ startMs: t0, count: 10, mean: -4.75, min: -7, max: -2.5 });
    expect(buckets?.[7]).toEqual({ startMs: t0 + 900, count: 10, mean: 40.25, min: 38, max: 42.5 });
    // A width that does not divide the range: the last bucket, [999, 1332), reaches past
    // `to`; the sample at `to` is not in it.
    const threes = await telemetryDb.bucketSamples({ ...q, widthMs: 333 });
    expect(threes?.map((b) => [b.startMs - t0, b.count])).toEqual([
      [0, 30],
      [333, 17],
      [666, 33],
    ]);
    // More samples in the range than maxSamples: not summarised.
    expect(await telemetryDb.bucketSamples({ ...q, widthMs: 100, maxSamples: 79 })).toBeUndefined();
    expect(await telemetryDb.bucketSamples({ ...q, widthMs: 100, maxSamples: 80 })).toHaveLength(8);
    await expect(telemetryDb.bucketSamples({ ...q, widthMs: 0.5 })).rejects.toThrow(/whole number/);
  });

  it('should refuse an expensive read beyond the queue with STORE_BUSY, and answer the rest', async () => {
    const telemetryDb = openTelemetryDb({ readWorkers: 1, readQueue: 1 });
    await telemetryDb.writeSamples(rows('veh', 10, 1000));
    const q = { deviceId: 'veh', signalId: 7, fromMs: t0, toMs: t0 + 1e6, limit: 100 };
    const [first, second, third] = [
      telemetryDb.querySamples(q),
      telemetryDb.listEvents({ deviceId: 'veh', fromMs: 0, toMs: t0, limit: 10 }),
      telemetryDb.listDevices(),
    ];
    const refused = await third.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreBusyError);
    expect(refused).toMatchObject({ code: 'STORE_BUSY', retryable: true, retryAfterSeconds: 1 });
    expect(await first).toHaveLength(10);
    expect(await second).toEqual([]);
    // Reads by key and writes never wait for the expensive reads.
    const answered: number[] = [];
    const busy = [telemetryDb.querySamples(q), telemetryDb.querySamples(q)].map((r) =>
      r.then((samples) => answered.push(samples.length)),
    );
    expect(await telemetryDb.getDevice('none')).toBeUndefined();
    await telemetryDb.writeSamples(rows('veh', 1, 1, t0 + 1e5));
    expect(answered).toEqual([]);
    await Promise.all(busy);
    // Each read saw what was committed when it began: the write, too, if it came first.
    expect(answered.every((n) => n === 10 || n === 11)).toBe(true);
  });

  it('should fail reads in flight when closed, and refuse reads after', async () => {
    const telemetryDb = openTelemetryDb({ readWorkers: 1, readQueue: 4 });
    const pending = [1, 2, 3].map(() =>
      telemetryDb.listVehicles().then(
        (v) => v,
        (e: unknown) => e,
      ),
    );
    await telemetryDb.close();
    const results = await Promise.all(pending);
    // The first may have been answered before its thread stopped; the waiting ones not.
    for (const r of results.slice(1)) expect(r).toBeInstanceOf(StoreClosedError);
    await expect(telemetryDb.listVehicles()).rejects.toBeInstanceOf(StoreClosedError);
  });
});

describe('SqliteTelemetryDb failures', () => {
  /** Another process's connection to the database file, holding its write lock until released. */
  const holdWriteLock = (path: string) => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    return () => {
      other.exec('ROLLBACK');
      other.close();
    };
  };

  it('should answer a write the file is locked for past the busy timeout as unavailable, and take it once the lock is gone', async () => {
    const path = join(dir, 'write-locked.sqlite');
    const telemetryDb = new SqliteTelemetryDb({ path, samplesTtlDays: 0, busyTimeoutMs: 100 });
    open.push(telemetryDb);
    const release = holdWriteLock(path);
    let err: unknown;
    try {
      for (const write of [
        () => telemetryDb.writeSamples(rows('veh', 3, 1)),
        () => telemetryDb.markSeen([{ deviceId: 'veh', lastSeenMs: t0 }]),
        () => telemetryDb.saveSnapshot({ actorId: 'veh', data: '{}', savedMs: t0 }),
      ]) {
        err = await write().then(
          () => 'written',
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect(err).toMatchObject({
          code: 'STORE_UNAVAILABLE',
          retryable: true,
          details: { driverCode: 'SQLITE_BUSY' },
        });
        expect((err as Error).message).toContain(path);
      }
    } finally {
      release();
    }
    expect((err as Error).message).toMatch(/saveSnapshot failed: SQLITE_BUSY/);
    // What a retry loop does next succeeds.
    await telemetryDb.writeSamples(rows('veh', 3, 1));
    expect(
      await telemetryDb.querySamples({
        deviceId: 'veh',
        signalId: 7,
        fromMs: t0,
        toMs: t0 + 3,
        limit: 9,
      }),
    ).toHaveLength(3);
  });

  it('should answer a value the table refuses as rejected, not to be retried', async () => {
    const telemetryDb = openTelemetryDb();
    // SQLite binds NaN as NULL, which the NOT NULL column refuses.
    const err = await telemetryDb
      .writeSamples([{ deviceId: 'veh', signalId: 7, timeMs: t0, value: Number.NaN }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRejectedError);
    expect(err).toMatchObject({
      code: 'STORE_REJECTED',
      retryable: false,
      details: { driverCode: 'SQLITE_CONSTRAINT_NOTNULL' },
    });
    expect((err as Error).message).toMatch(/writeSamples failed: SQLITE_CONSTRAINT_NOTNULL/);
    // Nothing of the refused transaction was kept, and the database goes on serving.
    await telemetryDb.writeSamples(rows('veh', 2, 1));
    expect(
      await telemetryDb.querySamples({
        deviceId: 'veh',
        signalId: 7,
        fromMs: 0,
        toMs: t0 + 9,
        limit: 9,
      }),
    ).toHaveLength(2);
  });

  it('should answer a damaged file met by a reader thread as rejected, not to be retried', async () => {
    const path = join(dir, 'damaged.sqlite');
    const first = new SqliteTelemetryDb({ path, samplesTtlDays: 0 });
    await first.writeSamples(rows('veh', 20_000, 1));
    await first.close();
    // Garbage over pages in the second half of the file, the samples' (the schema, written
    // first, stays readable).
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(64 * 1024, 0xa5), 0, 64 * 1024, statSync(path).size / 2);
    closeSync(fd);
    const telemetryDb = new SqliteTelemetryDb({ path, samplesTtlDays: 0 });
    open.push(telemetryDb);
    const err = await telemetryDb
      .querySamples({ deviceId: 'veh', signalId: 7, fromMs: 0, toMs: t0 + 1e9, limit: 1e6 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRejectedError);
    expect(err).toMatchObject({ retryable: false, details: { driverCode: 'SQLITE_CORRUPT' } });
    expect((err as Error).message).toMatch(/querySamples failed: SQLITE_CORRUPT/);
  });
});

describe('SqliteTelemetryDb expiry', () => {
  it('should delete expired samples a slice at a time, not holding the event loop', async () => {
    const path = join(dir, 'expiry.sqlite');
    await new SqliteTelemetryDb({ path, samplesTtlDays: 0 }).close(); // the schema
    const db = new Database(path);
    const insert = db.prepare(
      'INSERT INTO samples (device_id, signal_id, t_ms, value) VALUES (?, ?, ?, ?)',
    );
    const old = Date.now() - 30 * 86_400_000; // + 10⁶ s (11.6 days): all past a TTL of 10 days
    const recent = Date.now() - 86_400_000;
    db.transaction(() => {
      for (let i = 0; i < 1_000_000; i++) insert.run('veh', 7, old + i * 1000, i);
      for (let i = 0; i < 1000; i++) insert.run('veh', 7, recent + i * 1000, i);
    })();
    db.close();
    // Other work's turns while the deletion runs (the ingest path's, in the process).
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const telemetryDb = new SqliteTelemetryDb({ path, samplesTtlDays: 10 });
    open.push(telemetryDb);
    const all = { deviceId: 'veh', signalId: 7, fromMs: 0, toMs: Date.now(), limit: 1e6 };
    await eventually(
      async () => (await telemetryDb.querySamples(all)).length === 1000,
      'expiry',
      60_000,
    );
    counting = false;
    expect((await telemetryDb.querySamples(all))[0]?.timeMs).toBe(recent);
    // 200 slices of 5,000, each followed by a turn for other work; one statement gave none
    // and held the loop for about a second. The turns are counted rather than the loop's
    // delay timed: on a loaded machine a wall-clock bound measures the machine, not the code.
    expect(turns).toBeGreaterThanOrEqual(1_000_000 / 5000);
  }, 90_000);
});

describe('SqliteTelemetryDb files', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;
  const modes = (folder: string) =>
    Object.fromEntries(readdirSync(folder).map((f) => [f, mode(join(folder, f))]));

  it('should make its folder owner-only and its files, -wal and -shm too, owner-only', async () => {
    const folder = join(dir, 'fresh', 'data');
    const umask = process.umask(0); // the loosest a process can have: nothing masked
    try {
      const telemetryDb = new SqliteTelemetryDb({
        path: join(folder, 'store.sqlite'),
        samplesTtlDays: 0,
      });
      open.push(telemetryDb);
      await telemetryDb.writeSamples(rows('veh', 10, 1));
      await telemetryDb.listVehicles(); // a reader thread opens its connection, too
      expect(mode(folder)).toBe(0o700);
      expect(modes(folder)).toEqual({
        'store.sqlite': 0o600,
        'store.sqlite-wal': 0o600,
        'store.sqlite-shm': 0o600,
      });
    } finally {
      process.umask(umask);
    }
  });

  it('should make the files an older version left readable owner-only', async () => {
    const folder = join(dir, 'older');
    mkdirSync(folder, { mode: 0o700 });
    const path = join(folder, 'store.sqlite');
    const older = new Database(path);
    older.pragma('journal_mode = WAL');
    older.exec('CREATE TABLE t (x)');
    for (const f of readdirSync(folder)) chmodSync(join(folder, f), 0o644);
    const telemetryDb = new SqliteTelemetryDb({ path, samplesTtlDays: 0 });
    open.push(telemetryDb);
    older.close();
    expect(modes(folder)).toEqual({
      'store.sqlite': 0o600,
      'store.sqlite-wal': 0o600,
      'store.sqlite-shm': 0o600,
    });
  });
});
