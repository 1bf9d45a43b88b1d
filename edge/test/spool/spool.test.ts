import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from '../../src/spool/spool.js';

const dirs: string[] = [];
const spools: Spool[] = [];
afterEach(async () => {
  await Promise.all(spools.splice(0).map((s) => s.close().catch(() => {})));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fleetline-spool-'));
  dirs.push(d);
  return d;
}

async function openSpool(
  dir: string,
  maxBytes = 10 * 1024 * 1024,
  segmentBytes = 4096,
): Promise<Spool> {
  const s = await Spool.open({ dir, maxBytes, segmentBytes });
  spools.push(s);
  return s;
}

const payload = (seq: number, size = 100) => new Uint8Array(size).fill(seq % 251);

async function drain(spool: Spool): Promise<number[]> {
  const out: number[] = [];
  for (let m = spool.peek(new Set()); m; m = spool.peek(new Set())) {
    out.push(m.seq);
    await spool.ack(m.seq);
  }
  return out;
}

describe('Spool', () => {
  it('should hand out consecutive seqs and send events before telemetry, oldest first', async () => {
    const spool = await openSpool(tempDir());
    const kinds = ['telemetry', 'telemetry', 'event', 'telemetry', 'event'] as const;
    const seqs = [];
    for (const k of kinds) seqs.push(await spool.add(k, (seq) => payload(seq)));
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    expect(await drain(spool)).toEqual([3, 5, 1, 2, 4]);
  });

  it('should skip messages in flight and give them again only if not acknowledged', async () => {
    const spool = await openSpool(tempDir());
    for (let i = 0; i < 3; i++) await spool.add('telemetry', (seq) => payload(seq));
    const inFlight = new Set<number>([1]);
    expect(spool.peek(inFlight)?.seq).toBe(2);
    inFlight.add(2);
    expect(spool.peek(inFlight)?.seq).toBe(3);
    expect(spool.peek(new Set())?.seq).toBe(1);
  });

  it('should keep unacknowledged messages and the seq across a reopen', async () => {
    const dir = tempDir();
    const first = await openSpool(dir);
    for (let i = 0; i < 50; i++)
      await first.add(i % 10 === 0 ? 'event' : 'telemetry', (seq) => payload(seq, 300));
    for (let seq = 1; seq <= 30; seq++) await first.ack(seq);
    await first.close();
    const again = await openSpool(dir);
    expect(again.openReport.damage).toEqual([]);
    expect(again.stats().eventDepth + again.stats().telemetryDepth).toBe(20);
    expect(again.nextSeq).toBe(51);
    const left = await drain(again);
    expect([...left].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 31 + i));
    const m = again.peek(new Set());
    expect(m).toBeUndefined();
  });

  it('should never reuse a seq after every segment was acknowledged and deleted', async () => {
    const dir = tempDir();
    const first = await openSpool(dir, 10 * 1024 * 1024, 1024);
    for (let i = 0; i < 40; i++) await first.add('telemetry', (seq) => payload(seq, 200));
    await drain(first);
    // Kill-like: no close(), the high-water mark must already be on disk.
    const again = await openSpool(dir);
    expect(again.nextSeq).toBeGreaterThan(40);
  });

  // Two 100-byte records fill a 256-byte segment; the mark is written before each deletion.
  it('should delete a segment of each queue at once without losing an ack or its mark', async () => {
    const dir = tempDir();
    const spool = await openSpool(dir, 10 * 1024 * 1024, 256);
    for (let i = 0; i < 3; i++) await spool.add('event', (seq) => payload(seq)); // 1 2 | 3
    for (let i = 0; i < 3; i++) await spool.add('telemetry', (seq) => payload(seq)); // 4 5 | 6
    await spool.ack(1);
    await spool.ack(4);
    // Each empties the first segment of its queue.
    await expect(Promise.all([spool.ack(2), spool.ack(5)])).resolves.toEqual([
      undefined,
      undefined,
    ]);
    expect(readFileSync(join(dir, 'seq'), 'utf8')).toMatch(/^5 /);
    // Kill-like: no close().
    const again = await openSpool(dir);
    expect(again.nextSeq).toBe(7);
    expect(await drain(again)).toEqual([3, 6]);
  });

  it('should spool a message whose rotation deletes a segment while an ack deletes one in the other queue', async () => {
    const dir = tempDir();
    const spool = await openSpool(dir, 10 * 1024 * 1024, 256);
    for (let i = 0; i < 5; i++) await spool.add('event', (seq) => payload(seq)); // 1 2 | 3 4 | 5
    for (let i = 0; i < 2; i++) await spool.add('telemetry', (seq) => payload(seq)); // 6 7
    for (const seq of [1, 2, 3, 6, 7]) await spool.ack(seq);
    // The add starts a segment and deletes 6 7 (all acknowledged); the ack deletes 3 4.
    await expect(
      Promise.all([spool.add('telemetry', (seq) => payload(seq)), spool.ack(4)]),
    ).resolves.toEqual([8, undefined]);
    expect(readFileSync(join(dir, 'seq'), 'utf8')).toMatch(/^7 /);
    const again = await openSpool(dir);
    expect(again.nextSeq).toBe(9);
    expect(await drain(again)).toEqual([5, 8]);
  });

  it('should give its seqs an epoch, chosen at creation and kept across reopens', async () => {
    const dir = tempDir();
    const first = await openSpool(dir);
    expect(Number.isInteger(first.seqEpoch)).toBe(true);
    expect(first.seqEpoch).toBeGreaterThan(0);
    expect(first.seqEpoch).toBeLessThan(2 ** 32);
    const built: [number, number][] = [];
    for (let i = 0; i < 3; i++)
      await first.add('telemetry', (seq, epoch) => {
        built.push([seq, epoch]);
        return payload(seq);
      });
    expect(built).toEqual([1, 2, 3].map((seq) => [seq, first.seqEpoch]));
    // The epoch is on disk before anything is built with it: a power cut now keeps it.
    expect(readFileSync(join(dir, 'seq'), 'utf8')).toContain(String(first.seqEpoch));
    const epoch = first.seqEpoch;
    await first.close();
    const again = await openSpool(dir);
    expect(again.seqEpoch).toBe(epoch);
    expect(again.nextSeq).toBe(4);
  });

  it('should choose a new epoch when its state is wiped, as its seqs start again', async () => {
    const dir = tempDir();
    const first = await openSpool(dir);
    for (let i = 0; i < 5; i++) await first.add('telemetry', (seq) => payload(seq));
    const epoch = first.seqEpoch;
    await first.close();
    rmSync(dir, { recursive: true, force: true });
    const wiped = await openSpool(dir);
    expect(wiped.nextSeq).toBe(1);
    expect(wiped.seqEpoch).not.toBe(epoch);
    expect(wiped.seqEpoch).toBeGreaterThan(0);
  });

  it('should take up the seq of an older agent’s spool and give it an epoch', async () => {
    const dir = tempDir();
    // What an agent without epochs left: the high-water mark alone.
    const old = await openSpool(dir);
    await old.close();
    writeFileSync(join(dir, 'seq'), '57\n');
    const upgraded = await openSpool(dir);
    expect(upgraded.nextSeq).toBe(58);
    expect(upgraded.seqEpoch).toBeGreaterThan(0);
    const epoch = upgraded.seqEpoch;
    await upgraded.close();
    const again = await openSpool(dir);
    expect(again.seqEpoch).toBe(epoch);
    expect(again.nextSeq).toBe(58);
  });

  it('should cut a torn record off the tail and keep everything before it', async () => {
    const dir = tempDir();
    const first = await openSpool(dir);
    for (let i = 0; i < 5; i++) await first.add('telemetry', (seq) => payload(seq));
    await first.close();
    const segDir = join(dir, 'telemetry');
    const seg = readdirSync(segDir).find((n) => n.endsWith('.seg')) as string;
    // Half a record, as a power cut in the middle of a write leaves it.
    appendFileSync(join(segDir, seg), Buffer.from([120, 0, 0, 0, 1, 2, 3, 4, 5, 6]));
    const again = await openSpool(dir);
    expect(again.openReport.damage.join()).toMatch(/runs past the end|partial header/);
    expect(await again.add('telemetry', (seq) => payload(seq))).toBe(6);
    expect((await drain(again)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('should report a damaged record and keep the records before it', async () => {
    const dir = tempDir();
    const first = await openSpool(dir);
    for (let i = 0; i < 3; i++) await first.add('event', (seq) => payload(seq));
    await first.close();
    const segDir = join(dir, 'events');
    const seg = join(segDir, readdirSync(segDir).find((n) => n.endsWith('.seg')) as string);
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(seg);
    const at = bytes.length - 5;
    bytes[at] = (bytes[at] as number) ^ 0xff; // flip bits inside the last record's payload
    writeFileSync(seg, bytes);
    const again = await openSpool(dir);
    expect(again.openReport.damage.join()).toMatch(/checksum mismatch/);
    expect((await drain(again)).sort((a, b) => a - b)).toEqual([1, 2]);
  });

  it('should drop the oldest telemetry when full and never an event', async () => {
    const spool = await openSpool(tempDir(), 8 * 1024, 1024);
    const events: number[] = [];
    for (let i = 0; i < 60; i++) {
      const kind = i % 6 === 0 ? 'event' : 'telemetry';
      const seq = await spool.add(kind, (s) => payload(s, 200));
      if (kind === 'event' && seq !== undefined) events.push(seq);
    }
    const stats = spool.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThanOrEqual(8 * 1024 + 1024);
    expect(stats.eventDepth).toBe(10);
    const sent = await drain(spool);
    expect(sent.slice(0, 10)).toEqual(events);
    // What is left of telemetry is the newest, in order.
    const telemetry = sent.slice(10);
    expect(telemetry).toEqual([...telemetry].sort((a, b) => a - b));
    expect(telemetry.at(-1)).toBe(60);
  });
});
