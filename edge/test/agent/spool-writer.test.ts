import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeEvent,
  decodeTelemetryBatch,
  type EventPayload,
  MAX_TROUBLE_CODES,
  type Sample,
  signalId,
} from '@fleetline/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { agentMetrics } from '../../src/agent/metrics.js';
import { openSpool, SpoolWriter } from '../../src/agent/spool-writer.js';
import type { Spool } from '../../src/spool/spool.js';
import { capturedLogger, messages } from './log-capture.js';

const t0 = 1_764_000_000_000;
const speed = signalId('Vehicle.Speed');
const KiB = 1024;

const dirs: string[] = [];
const spools: Spool[] = [];
afterEach(async () => {
  for (const s of spools.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function writer(maxBatchBytes = 128 * KiB) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-writer-'));
  dirs.push(dir);
  const { logger, lines } = capturedLogger();
  const spool = await openSpool({ dir }, logger);
  spools.push(spool);
  const metrics = agentMetrics();
  const w = new SpoolWriter(spool, { deviceId: 'veh-1', maxBatchBytes }, metrics, logger);
  return { w, spool, metrics, lines };
}

/** Everything in the spool, in the order the sender would take it: events, then telemetry. */
function spooled(spool: Spool) {
  const taken = new Set<number>();
  const out: { kind: string; seq: number; payload: Uint8Array }[] = [];
  for (let m = spool.peek(taken); m; m = spool.peek(taken)) {
    taken.add(m.seq);
    out.push({ kind: m.kind, seq: m.seq, payload: m.payload });
  }
  return out;
}

const samples = (n: number, from = t0): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ signalId: speed, timeMs: from + i * 10, value: i }));

const counter = async (c: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await c.get()).values.reduce((n, v) => n + v.value, 0);

describe('openSpool', () => {
  it('should open the spool and log its state', async () => {
    const { spool, lines } = await writer();
    expect(spool.nextSeq).toBe(1);
    const open = lines.find((l) => l.msg === 'spool open');
    expect(open).toMatchObject({ nextSeq: 1, eventDepth: 0, telemetryDepth: 0 });
  });
});

describe('SpoolWriter', () => {
  it('should spool telemetry batches in the order handed over, each with its own seq', async () => {
    const { w, spool, metrics } = await writer();
    w.telemetry(samples(3));
    w.telemetry(samples(2, t0 + 1000));
    await w.settled();
    const out = spooled(spool);
    expect(out.map((m) => [m.kind, m.seq])).toEqual([
      ['telemetry', 1],
      ['telemetry', 2],
    ]);
    const first = decodeTelemetryBatch(out[0]?.payload as Uint8Array);
    expect(first).toMatchObject({ deviceId: 'veh-1', seq: 1, seqEpoch: spool.seqEpoch });
    expect(first.samples).toHaveLength(3);
    expect(await counter(metrics.batches)).toBe(2);
  });

  it('should cut a batch past maxBatchBytes into batches within it, every sample once', async () => {
    const { w, spool, metrics } = await writer(2 * KiB);
    w.telemetry(samples(2000));
    await w.settled();
    const out = spooled(spool);
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) expect(m.payload.length).toBeLessThanOrEqual(2 * KiB);
    const back = out.flatMap((m) => decodeTelemetryBatch(m.payload).samples);
    expect(back.map((s) => s.value).sort((a, b) => a - b)).toEqual(
      samples(2000).map((s) => s.value),
    );
    expect(await counter(metrics.batches)).toBe(out.length);
  });

  it('should resolve an event with its seq and count it by kind', async () => {
    const { w, spool, metrics } = await writer();
    const seq = await w.event({ kind: 'troubleCodes', codes: ['P0301'] }, t0);
    expect(seq).toBe(1);
    const [m] = spooled(spool);
    expect(m?.kind).toBe('event');
    expect(decodeEvent(m?.payload as Uint8Array)).toMatchObject({
      seq: 1,
      timeMs: t0,
      payload: { kind: 'troubleCodes', codes: ['P0301'] },
    });
    expect((await metrics.events.get()).values).toEqual([
      expect.objectContaining({ labels: { kind: 'troubleCodes' }, value: 1 }),
    ]);
  });

  it('should send the most important trouble codes one event carries, and count the rest', async () => {
    const { w, spool, metrics, lines } = await writer();
    const codes = Array.from(
      { length: 200 },
      (_, i) => `B0${i.toString(16).toUpperCase().padStart(3, '0')}`,
    );
    await w.event({ kind: 'troubleCodes', codes }, t0);
    const [m] = spooled(spool);
    const sent = decodeEvent(m?.payload as Uint8Array).payload as { codes: string[] };
    expect(sent.codes).toHaveLength(MAX_TROUBLE_CODES);
    expect(await counter(metrics.troubleCodesLeftOut)).toBe(200 - MAX_TROUBLE_CODES);
    expect(lines.find((l) => l.leftOut !== undefined)).toMatchObject({
      level: 40,
      reported: 200,
      leftOut: 200 - MAX_TROUBLE_CODES,
    });
  });

  it('should spool the parts of a window past one message right behind the first, in time order', async () => {
    const { w, spool, lines } = await writer(4 * KiB);
    const payload: EventPayload = {
      kind: 'triggerCapture',
      capture: { name: 'overspeed', triggeredAtMs: t0, relatedSeq: 0, window: samples(3000) },
    };
    const seq = await w.event(payload, t0);
    await w.settled();
    const out = spooled(spool);
    expect(seq).toBe(1);
    expect(out.length).toBeGreaterThan(1);
    expect(out.map((m) => m.seq)).toEqual(out.map((_, i) => i + 1));
    const windows = out.map((m) => {
      const e = decodeEvent(m.payload).payload;
      return e.kind === 'triggerCapture' ? e.capture.window.map((s) => s.timeMs) : [];
    });
    expect(windows.flat()).toEqual(samples(3000).map((s) => s.timeMs));
    expect(lines.find((l) => l.msg === 'event split')).toMatchObject({
      kind: 'triggerCapture',
      seq: 1,
      messages: out.length,
    });
  });

  it('should log what could not be spooled, reject only the event, and settle all the same', async () => {
    const failing = {
      add: () => Promise.reject(new Error('disk gone')),
    } as unknown as Pick<Spool, 'add'>;
    const { logger, lines } = capturedLogger();
    const w = new SpoolWriter(
      failing,
      { deviceId: 'veh-1', maxBatchBytes: 128 * KiB },
      agentMetrics(),
      logger,
    );
    w.telemetry(samples(3));
    const event = w.event({ kind: 'troubleCodes', codes: ['P0301'] }, t0);
    await expect(event).rejects.toThrow('disk gone');
    await w.settled();
    expect(messages(lines)).toEqual(
      expect.arrayContaining([
        'telemetry batch could not be spooled',
        'event could not be spooled',
      ]),
    );
  });

  it('should warn when the spool, full of events, drops a telemetry batch', async () => {
    const full = { add: async () => undefined } as unknown as Pick<Spool, 'add'>;
    const { logger, lines } = capturedLogger();
    const metrics = agentMetrics();
    const w = new SpoolWriter(
      full,
      { deviceId: 'veh-1', maxBatchBytes: 128 * KiB },
      metrics,
      logger,
    );
    w.telemetry(samples(3));
    await w.settled();
    expect(messages(lines)).toEqual(['spool full of events: telemetry batch dropped']);
    expect(await counter(metrics.batches)).toBe(0);
  });
});
