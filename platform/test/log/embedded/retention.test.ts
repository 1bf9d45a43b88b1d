import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../../test-support/infra.js';
import { Retention } from '../../../src/log/embedded/retention.js';

/** A table of records at times, and the slice-bounded DELETE the embedded log runs. */
function recordsAt(times: number[]) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE records (id INTEGER PRIMARY KEY, timestamp_ms INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO records (timestamp_ms) VALUES (?)');
  for (const t of times) insert.run(t);
  const statement = db.prepare<[number, number]>(
    'DELETE FROM records WHERE id IN (SELECT id FROM records WHERE timestamp_ms < ? LIMIT ?)',
  );
  const left = () =>
    (db.prepare('SELECT timestamp_ms AS t FROM records ORDER BY id').all() as { t: number }[]).map(
      (r) => r.t,
    );
  return { db, statement, left };
}

describe('Retention', () => {
  it('should delete the records older than the retention at once, and keep the others', async () => {
    const now = Date.now();
    const { db, statement, left } = recordsAt([now - 10_000, now - 5_000, now - 100, now]);
    const retention = new Retention(statement, 1_000, () => false);
    try {
      await eventually(() => left().length === 2, 'the first round, started at once');
      expect(left()).toEqual([now - 100, now]);
    } finally {
      retention.stop();
      db.close();
    }
  });

  it('should run one round at a time, and none once the log is closing', async () => {
    const now = Date.now();
    const { db, statement, left } = recordsAt([now - 10_000, now - 10_000]);
    let closing = false;
    const retention = new Retention(statement, 1_000, () => closing);
    try {
      const rounds = [retention.run(), retention.run()];
      // The first started before the constructor's; the others find it running.
      expect(await Promise.all(rounds)).toEqual([2, 0]);
      db.prepare('INSERT INTO records (timestamp_ms) VALUES (?)').run(now - 10_000);
      closing = true;
      expect(await retention.run()).toBe(0);
      expect(left()).toEqual([now - 10_000]);
    } finally {
      retention.stop();
      db.close();
    }
  });
});
