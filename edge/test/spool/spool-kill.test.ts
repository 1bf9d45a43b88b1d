import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { Spool } from '../../src/spool/spool.js';

/**
 * Power-cut safety: a process spools and acknowledges as fast as it can and is SIGKILLed at
 * arbitrary moments, again and again. Whatever it reported as spooled and not acknowledged
 * must still be there, seqs are never handed out twice, and the spool always opens.
 */

const root = mkdtempSync(join(tmpdir(), 'fleetline-spool-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, 'spool');

// What the writer has done goes to a journal, each line with one write(2) before it goes on:
// a SIGKILL keeps every write that returned. Not to stdout: console.log to a pipe the test
// is slow to read (a loaded machine) queues the line inside the writer and returns, and the
// kill loses the queue — acks that completed then looked like records lost.
const writer = `
import { openSync, writeSync } from 'node:fs';
import { Spool } from ${JSON.stringify(join(import.meta.dirname, '../../dist/spool/spool.js'))};
const journal = openSync(process.argv[2], 'a');
const say = (line) => writeSync(journal, line + '\\n');
const spool = await Spool.open({ dir: process.argv[1], maxBytes: 64 * 1024 * 1024, segmentBytes: 8192 });
say('open ' + spool.nextSeq + ' ' + spool.openReport.damage.length);
let i = 0;
for (;;) {
  const kind = i++ % 7 === 0 ? 'event' : 'telemetry';
  const seq = await spool.add(kind, (s) => new Uint8Array(50 + (s % 200)).fill(s % 256));
  say('S ' + seq);
  // Acknowledge roughly two of every three, oldest first, as a sender would.
  if (i % 3 !== 0) {
    const m = spool.peek(new Set());
    // Announced before the ack starts: a kill during the ack may or may not keep it.
    if (m) { say('A ' + m.seq); await spool.ack(m.seq); }
  }
}
`;

/** The journal's whole lines (a kill in the middle of a write can leave the last one short). */
function journalLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(0, -1);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function run(journal: string): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', writer, dir, journal], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('Spool under SIGKILL', () => {
  it('should lose nothing it reported spooled and never reuse a seq across 12 kills', async () => {
    const spooled: number[] = [];
    const acked = new Set<number>();
    for (let round = 0; round < 12; round++) {
      const journal = join(root, `round-${round}.log`);
      const child = run(journal);
      const exited = new Promise((r) => child.once('exit', r));
      const target = 30 + ((round * 37) % 90);
      await eventually(
        () => journalLines(journal).filter((l) => l.startsWith('S ')).length >= target,
        `round ${round}: ${target} records spooled`,
        20_000,
        2,
      );
      child.kill('SIGKILL');
      await exited;
      const lines = journalLines(journal);
      expect(lines[0], 'the spool opened').toMatch(/^open \d+ \d+$/);
      for (const l of lines) {
        if (l.startsWith('S ')) spooled.push(Number(l.slice(2)));
        if (l.startsWith('A ')) acked.add(Number(l.slice(2)));
      }
    }
    expect(new Set(spooled).size, 'no seq handed out twice').toBe(spooled.length);
    const spool = await Spool.open({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 8192 });
    try {
      const pending = new Set<number>();
      for (let m = spool.peek(pending); m; m = spool.peek(pending)) pending.add(m.seq);
      const lost = spooled.filter((s) => !acked.has(s) && !pending.has(s));
      expect(lost, 'spooled, never acknowledged, and gone').toEqual([]);
      expect(pending.size, 'messages left to send').toBeGreaterThan(0);
      expect(spool.nextSeq).toBeGreaterThan(Math.max(...spooled));
    } finally {
      await spool.close();
    }
  }, 120_000);
});
