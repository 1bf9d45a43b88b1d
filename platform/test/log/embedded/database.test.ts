import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogDatabase } from '../../../src/log/embedded/database.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetline-log-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LogDatabase', () => {
  it('should keep topics, records, end offsets and group offsets across a reopen', () => {
    const path = join(dir, 'a', 'log.sqlite');
    const db = new LogDatabase(path);
    db.transaction(() => {
      db.createTopic('t', 2);
      db.insert('t', 1, 0, { key: 'k', value: new Uint8Array([1, 2]), headers: { h: 'v' } }, 42);
      db.insert('t', 1, 1, { key: 'k', value: new Uint8Array([3]) }, 43);
      db.saveEnd('t', 1, 2);
    });
    db.commit('g', [['t', 1, 1]]);
    db.close();

    const again = new LogDatabase(path);
    try {
      expect(again.topics()).toEqual([{ name: 't', partitions: 2 }]);
      expect(again.endOffsets()).toEqual([{ topic: 't', partition: 1, next: 2 }]);
      expect(again.fetch('t', 1, 0, 10)).toEqual([
        {
          topic: 't',
          partition: 1,
          offset: 0,
          key: 'k',
          value: new Uint8Array([1, 2]),
          headers: { h: 'v' },
          timestampMs: 42,
        },
        {
          topic: 't',
          partition: 1,
          offset: 1,
          key: 'k',
          value: new Uint8Array([3]),
          headers: {},
          timestampMs: 43,
        },
      ]);
      expect(again.fetch('t', 1, 1, 10).map((r) => r.offset)).toEqual([1]);
      expect(again.committed('g', 't', 1)).toBe(1);
      expect(again.committed('g', 't', 0)).toBeUndefined();
    } finally {
      again.close();
    }
  });

  it('should write all of a transaction or none of it', () => {
    const db = new LogDatabase(join(dir, 'b', 'log.sqlite'));
    try {
      expect(() =>
        db.transaction(() => {
          db.insert('t', 0, 0, { key: 'k', value: new Uint8Array([1]) }, 1);
          // The same offset again: the primary key refuses it, and the first is rolled back.
          db.insert('t', 0, 0, { key: 'k', value: new Uint8Array([2]) }, 1);
        }),
      ).toThrow(/UNIQUE/);
      expect(db.fetch('t', 0, 0, 10)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
