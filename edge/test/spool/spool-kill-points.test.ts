import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Spool } from '../../src/spool/spool.js';
import { killSwitch } from './dying-fs.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const { killSwitch } = await import('./dying-fs.js');
  return killSwitch.wrap(await importOriginal<typeof import('node:fs/promises')>());
});

/**
 * The spool killed at every one of its file operations in turn (see dying-fs.ts), while it
 * adds and acknowledges as the agent does — segments rotated, segments deleted by an ack and
 * by a rotation, the mark written, the ack log appended — and again at every operation of the
 * recovery that follows: whatever an add resolved and no ack was asked for must be there
 * after the restart, an ack that resolved must stay, no seq is handed out twice, and the spool
 * goes on appending afterwards.
 */

const root = mkdtempSync(join(tmpdir(), 'fleetline-spool-kill-points-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, String(++dirs));

/** About five records to a segment. */
const options = (dir: string) => ({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 1024 });
const STEPS = 36;
const kindOf = (i: number) => (i % 7 === 0 ? 'event' : 'telemetry');
/** Acks after add i: the backlog grows for a while, then is caught up and kept at nothing. */
const acksAfter = (i: number) => (i < 20 ? Number(i % 3 !== 2) : 2);

interface Book {
  /** Seqs whose add resolved. */
  spooled: number[];
  /** Seqs an ack was asked for (a kill during it may or may not keep it). */
  asked: Set<number>;
  /** Seqs whose ack resolved. */
  acked: Set<number>;
  /** The epoch messages were built with. */
  epoch?: number;
}

const newBook = (): Book => ({ spooled: [], asked: new Set(), acked: new Set() });

/** One life: opens the spool and adds and acknowledges, oldest first, as a sender would. */
async function live(dir: string, steps: number, book: Book): Promise<void> {
  const spool = await Spool.open(options(dir));
  for (let i = 0; i < steps; i++) {
    const seq = await spool.add(kindOf(i), (s, epoch) => {
      book.epoch ??= epoch;
      return new Uint8Array(50 + (s % 200)).fill(s % 256);
    });
    if (seq === undefined) throw new Error('nothing should be dropped');
    book.spooled.push(seq);
    for (let a = 0; a < acksAfter(i); a++) {
      const m = spool.peek(new Set());
      if (!m) break;
      book.asked.add(m.seq);
      await spool.ack(m.seq);
      book.acked.add(m.seq);
    }
  }
  await spool.close();
}

/** Runs `run` with a kill at operation `at`; whether the kill came before it finished. */
async function killedAt(at: number, tear: boolean, run: () => Promise<unknown>): Promise<boolean> {
  const death = killSwitch.arm(at, tear);
  const killed = await Promise.race([death.then(() => true), run().then(() => false)]);
  await killSwitch.bury();
  return killed;
}

/** Opens the spool as the next start would and checks it against what the dead one said. */
async function expectIntact(dir: string, book: Book, where: string): Promise<void> {
  const spool = await Spool.open(options(dir));
  try {
    const pending = new Set<number>();
    for (let m = spool.peek(pending); m; m = spool.peek(pending)) pending.add(m.seq);
    const lost = book.spooled.filter((s) => !book.asked.has(s) && !pending.has(s));
    expect(lost, `${where}: spooled, never acknowledged, and gone`).toEqual([]);
    const back = [...book.acked].filter((s) => pending.has(s));
    expect(back, `${where}: acknowledged and back again`).toEqual([]);
    expect(new Set(book.spooled).size, `${where}: no seq handed out twice`).toBe(
      book.spooled.length,
    );
    expect(spool.nextSeq, `${where}: the next seq`).toBeGreaterThan(Math.max(0, ...book.spooled));
    if (book.epoch !== undefined) expect(spool.seqEpoch, `${where}: the epoch`).toBe(book.epoch);
  } finally {
    await spool.close();
  }
}

describe('Spool killed at each file operation', () => {
  it('should keep what it reported, and go on appending, after a kill at any point', async () => {
    let points = 0;
    for (let at = 1; ; at++) {
      for (const tear of [true, false]) {
        const dir = freshDir();
        const book = newBook();
        if (!(await killedAt(at, tear, () => live(dir, STEPS, book)))) {
          expect(points, 'kill points swept').toBeGreaterThan(100);
          return;
        }
        points++;
        const torn = killSwitch.toreWrite;
        const where = `killed at operation ${at}${torn ? ', a write torn' : ''}`;
        await expectIntact(dir, book, where);
        // The next life appends after whatever the kill left (a torn tail, a half-done
        // deletion) and must not write over it.
        await live(dir, 6, book);
        await expectIntact(dir, book, `${where}, then a life more`);
        // Operation `at` is no write: an untorn kill there is the one just made.
        if (!torn) break;
      }
    }
  }, 300_000);

  it('should recover after a kill at any point of the recovery itself', async () => {
    // States the first sweep reaches, each killed again at every operation of the next open.
    for (let at = 7; at < 400; at += 23) {
      const dir = freshDir();
      const book = newBook();
      if (!(await killedAt(at, false, () => live(dir, STEPS, book)))) break;
      const state = `${dir}-state`;
      cpSync(dir, state, { recursive: true });
      for (let again = 1; ; again++) {
        rmSync(dir, { recursive: true, force: true });
        cpSync(state, dir, { recursive: true });
        const where = `killed at operation ${at}, then at ${again} of the recovery`;
        const open = () => Spool.open(options(dir)).then((s) => s.close());
        if (!(await killedAt(again, false, open))) break;
        await expectIntact(dir, book, where);
      }
    }
  }, 300_000);
});
