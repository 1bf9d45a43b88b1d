import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { EmbeddedLog } from '../../src/log/embedded.js';
import { murmur2, partitionForKey } from '../../src/log/partitioner.js';

describe('embedded log', () => {
  it('should refuse a second owner of the same file with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-embedded-'));
    const path = join(dir, 'log.sqlite');
    const first = new EmbeddedLog({ path, defaultPartitions: 2 });
    try {
      await (await first.createProducer()).send([
        { topic: 't', key: 'k', value: new Uint8Array([1]) },
      ]);
      // Another process: the lock is per process in SQLite's exclusive mode.
      const script = `import { EmbeddedLog } from '${join(import.meta.dirname, '../../dist/log/embedded.js')}';
        try { new EmbeddedLog({ path: ${JSON.stringify(path)}, defaultPartitions: 2 }); console.log('opened'); }
        catch (e) { console.log(e.code + ': ' + e.message); }`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      expect(out).toMatch(/LOG_UNAVAILABLE: .*in use by another Fleetline process/);
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded log tail', () => {
  it('should leave nothing in the file: no group, no offsets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-embedded-'));
    const path = join(dir, 'log.sqlite');
    try {
      const log = new EmbeddedLog({ path, defaultPartitions: 2 });
      await log.ensureTopics([{ name: 't', partitions: 2 }]);
      const got: number[] = [];
      const tail = await log.tail({
        topics: ['t'],
        handle: async (records) => {
          got.push(...records.map((r) => r.offset));
        },
      });
      const producer = await log.createProducer();
      await producer.send([{ topic: 't', key: 'k', value: new Uint8Array([1]) }]);
      await eventually(() => got.length === 1, 'the record at the tail');
      await tail.close();
      // A tail left open is closed with the log.
      await log.tail({ topics: ['t'], handle: async () => {} });
      await log.close();
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT COUNT(*) AS n FROM group_offsets').get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded log retention', () => {
  it('should delete expired records a slice at a time, not holding the event loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-embedded-'));
    const path = join(dir, 'log.sqlite');
    const EXPIRED = 2_000_000;
    try {
      await new EmbeddedLog({ path, defaultPartitions: 1 }).close(); // the schema
      // A log left a long time: two million records past the retention, a thousand within.
      const db = new Database(path);
      const insert = db.prepare(
        "INSERT INTO records (topic, partition, offset, key, value, headers, timestamp_ms) VALUES ('t', 0, ?, 'k', x'01', '{}', ?)",
      );
      const expired = Date.now() - 30 * 86_400_000;
      const kept = Date.now() - 86_400_000;
      db.transaction(() => {
        db.prepare("INSERT INTO topics (name, partitions) VALUES ('t', 1)").run();
        for (let i = 0; i < EXPIRED; i++) insert.run(i, expired);
        for (let i = 0; i < 1000; i++) insert.run(EXPIRED + i, kept);
        db.prepare(
          `INSERT INTO end_offsets (topic, partition, next_offset) VALUES ('t', 0, ${EXPIRED + 1000})`,
        ).run();
      })();
      db.close();
      // Other work's turns while the deletion runs (the gateway's, in the process).
      let turns = 0;
      let counting = true;
      const tick = () => {
        turns++;
        if (counting) setImmediate(tick);
      };
      setImmediate(tick);
      const log = new EmbeddedLog({ path, defaultPartitions: 1, retentionMs: 7 * 86_400_000 });
      try {
        await eventually(
          () => log.fetch('t', 0, 0, 1)[0]?.offset === EXPIRED,
          'the expired records to be deleted',
          80_000,
        );
        counting = false;
        // The kept records, and the offsets: the next record still gets the next offset.
        expect(log.fetch('t', 0, 0, 2000)).toHaveLength(1000);
        expect(log.endOffset('t', 0)).toBe(EXPIRED + 1000);
        // 400 slices of 5,000, each followed by a turn for other work; one statement gave
        // none, and held the loop for about two seconds. The turns are counted rather than the
        // loop's delay timed: on a loaded machine a wall-clock bound measures the machine.
        expect(turns).toBeGreaterThanOrEqual(EXPIRED / 5000);
      } finally {
        await log.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('embedded log files', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;
  const modes = (folder: string) =>
    Object.fromEntries(readdirSync(folder).map((f) => [f, mode(join(folder, f))]));

  it('should make its folder and its files (the -wal too) owner-only, also ones left readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetline-embedded-'));
    const umask = process.umask(0);
    try {
      const folder = join(dir, 'data');
      const log = new EmbeddedLog({ path: join(folder, 'log.sqlite'), defaultPartitions: 1 });
      await (await log.createProducer()).send([
        { topic: 't', key: 'k', value: new Uint8Array([1]) },
      ]);
      expect(mode(folder)).toBe(0o700);
      expect(modes(folder)).toEqual({ 'log.sqlite': 0o600, 'log.sqlite-wal': 0o600 });
      await log.close();
      // SQLite removes the -wal when the last connection closes (and, in exclusive locking
      // mode, keeps no -shm); an older version left its files readable.
      for (const f of readdirSync(folder)) chmodSync(join(folder, f), 0o644);
      writeFileSync(join(folder, 'log.sqlite-wal'), '', { mode: 0o644 });
      const again = new EmbeddedLog({ path: join(folder, 'log.sqlite'), defaultPartitions: 1 });
      try {
        expect(modes(folder)).toEqual({
          'log.sqlite': 0o600,
          'log.sqlite-wal': 0o600,
        });
      } finally {
        await again.close();
      }
    } finally {
      process.umask(umask);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('partitioner', () => {
  it('should match Kafka’s murmur2 reference values', () => {
    // Values from org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ];
    for (const [input, expected] of cases)
      expect(murmur2(Buffer.from(input)), input).toBe(expected);
    expect(partitionForKey('foobar', 6)).toBe((-790332482 & 0x7fffffff) % 6);
  });
});
