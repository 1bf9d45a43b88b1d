import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

const dir = mkdtempSync(join(tmpdir(), 'fleetline-spool-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writer = `
import { Spool } from ${JSON.stringify(join(import.meta.dirname, '../../dist/spool/spool.js'))};
const spool = await Spool.open({ dir: process.argv[1], maxBytes: 64 * 1024 * 1024, segmentBytes: 8192 });
console.log('open ' + spool.nextSeq + ' ' + spool.openReport.damage.length);
let i = 0;
for (;;) {
  const kind = i++ % 7 === 0 ? 'event' : 'telemetry';
  const seq = await spool.add(kind, (s) => new Uint8Array(50 + (s % 200)).fill(s % 256));
  console.log('S ' + seq);
  // Acknowledge roughly two of every three, oldest first, as a sender would.
  if (i % 3 !== 0) {
    const m = spool.peek(new Set());
    // Announced before the ack starts: a kill during the ack may or may not keep it.
    if (m) { console.log('A ' + m.seq); await spool.ack(m.seq); }
  }
}
`;

function run(): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', writer, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let rest = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines };
}

describe('Spool under SIGKILL', () => {
  it('should lose nothing it reported spooled and never reuse a seq across 12 kills', async () => {
    const spooled: number[] = [];
    const acked = new Set<number>();
    for (let round = 0; round < 12; round++) {
      const { child, lines } = run();
      const target = 30 + ((round * 37) % 90);
      await eventually(
        () => lines.filter((l) => l.startsWith('S ')).length >= target,
        `round ${round}: ${target} records spooled`,
        20_000,
        2,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
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
