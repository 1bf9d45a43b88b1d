import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SampleRow } from '@fleetline/platform';
import { catalogue, type DeviceSample } from '@fleetline/proto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { extremeValidTimeMs, MAX_DATE_MS } from '../../test-support/hostile.js';
import { MAX_STREAMS } from '../src/seq-streams.js';
import { SEQ_SPAN } from '../src/seq-window.js';
import type { VehicleMessage } from '../src/vehicle-messages.js';

/**
 * One vehicle's actor under hostile sequences: seqs that start at 2^53 − 1, jump by 2^40, go
 * back, repeat, and start again (a restarted counter); times from 1970 to the end of what a
 * Date holds. Through the real VehicleActor and every detector, with effects in memory:
 * - every run finishes within a deadline (a seq jump must not cost a walk over the gap);
 * - nothing escapes receive() — a message the detectors cannot take comes back as poison,
 *   with its reason;
 * - every sample of every message not handled before reaches writeSamples exactly once
 *   (a message is handled before when its (seq epoch, seq) was taken already).
 *
 * The actor runs in a worker thread, so that a run that never ends can be given up on.
 */

const DEVICE = 'veh-hostile';
const MAX_SEQ = Number.MAX_SAFE_INTEGER;
/** Far more than any run needs (each takes milliseconds): past it, the actor is stuck. */
const DEADLINE_MS = 5_000;
/**
 * The property on the message carrying the device's seq epoch, which a restarted counter
 * changes (issue 13, defect 3). 0 / absent: a device that never restarted its counter.
 */
const EPOCH = 'seqEpoch';

interface Plan {
  batches: VehicleMessage[][];
  restartBefore: number[];
}

interface RunResult {
  written: SampleRow[];
  poisoned: { at: number; code: string; message: string }[];
  escaped?: string;
}

// ── the actor in a worker, given up on at the deadline ───────────────────────────────────

const workerFile = join(import.meta.dirname, 'support/vehicle-actor-worker.mjs');
let worker: Worker | undefined;
let nextId = 0;
afterAll(() => worker?.terminate());

/** A worker that has loaded the actor and is ready for runs. */
async function readyWorker(): Promise<Worker> {
  if (worker) return worker;
  const w = new Worker(workerFile);
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  worker = w;
  return w;
}

async function run(plan: Plan): Promise<RunResult> {
  const w = await readyWorker();
  const id = nextId++;
  return new Promise<RunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      w.off('message', onMessage);
      void w.terminate();
      if (worker === w) worker = undefined;
      reject(
        new Error(
          `VehicleActor did not finish within ${DEADLINE_MS} ms (a hang) on ${describePlan(plan)}`,
        ),
      );
    }, DEADLINE_MS);
    const onMessage = (m: RunResult & { id: number }) => {
      if (m.id !== id) return;
      clearTimeout(timer);
      w.off('message', onMessage);
      resolve(m);
    };
    w.on('message', onMessage);
    w.once('error', (err) => {
      clearTimeout(timer);
      worker = undefined;
      reject(err);
    });
    w.postMessage({ id, deviceId: DEVICE, ...plan });
  });
}

// ── what must have been written ──────────────────────────────────────────────────────────

const epochOf = (o: object) => (o as Record<string, number | undefined>)[EPOCH] ?? 0;

/**
 * A model of which messages are new, by plain sets (the actor keeps ranges): a message is
 * named by (epoch, seq) on its topic, the last MAX_STREAMS epochs are remembered, and a
 * counter that started again without a new epoch is recognised by a seq more than SEQ_SPAN
 * below the highest of its topic, or by a seq handled already on a message newer than any
 * handled on its topic (seq-streams.ts). Either starts the stream again from that message:
 * what the device sends after it is new, even a seq the old run had used — writing those
 * rows again is harmless, the telemetry database's writes being idempotent. What is never allowed:
 * a new message dropped, or one message written twice without a restart in between.
 */
interface ModelTopic {
  readonly handled: Set<number>;
  high: number;
  newest: number;
}
interface ModelStream {
  readonly epoch: number;
  readonly telemetry: ModelTopic;
  readonly events: ModelTopic;
}

function isNew(
  streams: ModelStream[],
  topic: 'telemetry' | 'events',
  epoch: number,
  seq: number,
  timeMs: number,
): boolean {
  const fresh = (): ModelStream => {
    const s: ModelStream = {
      epoch,
      telemetry: { handled: new Set(), high: -1, newest: -1 },
      events: { handled: new Set(), high: -1, newest: -1 },
    };
    s[topic].handled.add(seq);
    s[topic].high = seq;
    s[topic].newest = timeMs;
    return s;
  };
  const i = streams.findIndex((s) => s.epoch === epoch);
  const known = streams[i];
  if (!known) {
    streams.unshift(fresh());
    streams.splice(MAX_STREAMS);
    return true;
  }
  const t = known[topic];
  const behind = t.handled.size > 0 && seq <= t.high - SEQ_SPAN;
  if (!behind && t.handled.has(seq) && timeMs <= t.newest) return false;
  if (behind || t.handled.has(seq)) {
    streams.splice(i, 1);
    streams.unshift(fresh());
    return true;
  }
  t.handled.add(seq);
  t.high = Math.max(t.high, seq);
  t.newest = Math.max(t.newest, timeMs);
  return true;
}

/** The rows the actor must write: those of every message the model calls new. */
function expectedRows(plan: Plan, poisoned: ReadonlySet<number>): SampleRow[] {
  const streams: ModelStream[] = [];
  const rows: SampleRow[] = [];
  let at = 0;
  for (const m of plan.batches.flat()) {
    const i = at++;
    if (poisoned.has(i)) continue;
    if (m.kind === 'event') isNew(streams, 'events', epochOf(m.event), m.event.seq, m.event.timeMs);
    if (m.kind !== 'telemetry') continue;
    const { batch } = m;
    if (!isNew(streams, 'telemetry', epochOf(batch), batch.seq, batch.baseTimeMs)) continue;
    for (const s of batch.samples) rows.push({ ...s });
  }
  return rows;
}

const rowKey = (r: SampleRow) => `${r.deviceId}/${r.signalId}@${r.timeMs}=${r.value}`;

function describePlan(plan: Plan): string {
  const one = (m: VehicleMessage) => {
    if (m.kind === 'telemetry') {
      return `t${epochOf(m.batch) ? `[e${epochOf(m.batch)}]` : ''}#${m.batch.seq}(${m.batch.samples.length} @${m.batch.baseTimeMs})`;
    }
    if (m.kind === 'event')
      return `e${epochOf(m.event) ? `[e${epochOf(m.event)}]` : ''}#${m.event.seq}`;
    if (m.kind === 'status') return `s@${m.status.timeMs}`;
    if (m.kind === 'tick') return `tick@${m.nowMs}`;
    return m.kind;
  };
  return plan.batches
    .map((b, i) => `${plan.restartBefore.includes(i) ? '↻ ' : ''}[${b.map(one).join(' ')}]`)
    .join(' ');
}

async function expectHandled(plan: Plan): Promise<RunResult> {
  const result = await run(plan);
  if (result.escaped) {
    throw new Error(`an error escaped receive(): ${result.escaped}\non ${describePlan(plan)}`);
  }
  for (const p of result.poisoned) {
    // Poison is a refusal with a reason naming the vehicle, never a bare error.
    expect(p.code).toBe('CLOUD_POISON_MESSAGE');
    expect(p.message).toMatch(new RegExp(`vehicle ${DEVICE} cannot handle \\w+`));
  }
  const want = expectedRows(plan, new Set(result.poisoned.map((p) => p.at)))
    .map(rowKey)
    .sort();
  const got = result.written.map(rowKey).sort();
  const extra = [...got];
  for (const k of want) {
    const i = extra.indexOf(k);
    if (i >= 0) extra.splice(i, 1);
  }
  const missing = want.filter((k) => !got.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `writeSamples got ${got.length} rows, ${want.length} expected: ${missing.length} missing (${missing.slice(0, 3).join(', ')}), ${extra.length} extra (${extra.slice(0, 3).join(', ')})\non ${describePlan(plan)}`,
    );
  }
  return result;
}

// ── generated streams of one vehicle ─────────────────────────────────────────────────────

const signals = catalogue.map((s) => ({ id: s.id, decimals: s.decimals ?? 0 }));

const step = fc.record({
  move: fc.constantFrom(
    'next',
    'next',
    'next',
    'jump',
    'max',
    'backfill',
    'repeat',
    'repeat',
    'restart',
  ),
  jumpBy: fc.constantFrom(2 ** 40, 2 ** 20, 4097, 2 ** 52),
  pick: fc.nat(),
  kind: fc.constantFrom(
    'telemetry',
    'telemetry',
    'telemetry',
    'event',
    'collision',
    'capture',
    'status',
    'tick',
    'service',
  ),
  /** Finite numbers at the edges the contract allows (collision figures, plans, odometers). */
  big: fc.constantFrom(0, -0, Number.MIN_VALUE, 1e-300, 1, 1e6, 1e300, Number.MAX_VALUE),
  time: fc.constantFrom('forward', 'forward', 'extreme', 'back'),
  extremeTime: extremeValidTimeMs,
  samples: fc.array(
    fc.record({
      signal: fc.constantFrom(...signals),
      offsetMs: fc.oneof(fc.constantFrom(0, 0xffff_ffff), fc.nat(0xffff_ffff), fc.nat(10_000)),
      q: fc.oneof(fc.constantFrom(0, 2 ** 50, -(2 ** 50)), fc.integer({ min: -9999, max: 9999 })),
    }),
    { maxLength: 8 },
  ),
  gatewayClockJump: fc.oneof(
    { weight: 9, arbitrary: fc.constant(0) },
    fc.constantFrom(60_000, 3_600_000, -3_600_000, 10 * 365 * 86_400_000),
  ),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** Plays the steps as a device (and its gateway) would: the messages, in arrival order. */
function messagesOf(firstSeq: number, steps: readonly Step[]): VehicleMessage[] {
  const out: VehicleMessage[] = [];
  let epoch = 0;
  let high = -1;
  const used = new Set<number>();
  let baseTimeMs = 1_764_000_000_000;
  let receivedAtMs = 1_764_000_000_000;
  for (const s of steps) {
    receivedAtMs = Math.min(Math.max(receivedAtMs + 100 + s.gatewayClockJump, 0), MAX_DATE_MS);
    if (s.move === 'repeat' && out.length > 0) {
      out.push(out[s.pick % out.length] as VehicleMessage); // a redelivery, as it was
      continue;
    }
    let seq: number;
    if (high < 0) seq = firstSeq;
    else if (s.move === 'restart' || (s.move !== 'backfill' && high >= MAX_SEQ)) {
      epoch++;
      used.clear();
      high = -1;
      seq = s.pick % 2; // the counter starts again at 0 or 1
    } else if (s.move === 'jump') seq = Math.min(high + s.jumpBy, MAX_SEQ);
    else if (s.move === 'max') seq = MAX_SEQ;
    else if (s.move === 'backfill') {
      // A seq skipped earlier, within the last few thousand: a batch resent after later ones.
      const candidate = high - 1 - (s.pick % 4000);
      if (candidate < 0 || used.has(candidate)) continue;
      seq = candidate;
    } else seq = high + 1;
    used.add(seq);
    high = Math.max(high, seq);
    if (s.time === 'forward') baseTimeMs += 1000 + (s.pick % 60_000);
    else if (s.time === 'extreme') baseTimeMs = s.extremeTime;
    else baseTimeMs = Math.max(0, baseTimeMs - 86_400_000);
    baseTimeMs = Math.min(baseTimeMs, MAX_DATE_MS);
    const stamp = epoch > 0 ? { [EPOCH]: epoch } : {};
    if (s.kind === 'telemetry') {
      const room = Math.min(0xffff_ffff, MAX_DATE_MS - baseTimeMs);
      const samples: DeviceSample[] = s.samples.map((x) => ({
        deviceId: DEVICE,
        signalId: x.signal.id,
        timeMs: baseTimeMs + Math.min(x.offsetMs, room),
        value: x.q / 10 ** x.signal.decimals,
      }));
      out.push({
        kind: 'telemetry',
        batch: { deviceId: DEVICE, seq, baseTimeMs, samples, ...stamp },
        receivedAtMs,
      });
    } else if (s.kind === 'event') {
      out.push({
        kind: 'event',
        event: {
          deviceId: DEVICE,
          seq,
          timeMs: baseTimeMs,
          payload: { kind: 'troubleCodes', codes: s.pick % 3 === 0 ? [] : ['P0301', 'U0100'] },
          ...stamp,
        },
        receivedAtMs,
      });
    } else if (s.kind === 'collision') {
      out.push({
        kind: 'event',
        event: {
          deviceId: DEVICE,
          seq,
          timeMs: baseTimeMs,
          payload: {
            kind: 'collision',
            collision: {
              severity: s.pick % 2 ? 'severe' : 'minor',
              peakG: s.big,
              deltaVKmh: -s.big,
              direction: 'front',
              latitude: s.pick % 3 ? 90 : -90,
              longitude: s.pick % 5 ? 180 : -180,
              speedBeforeKmh: s.big,
              window: [],
            },
          },
          ...stamp,
        },
        receivedAtMs,
      });
    } else if (s.kind === 'capture') {
      out.push({
        kind: 'event',
        event: {
          deviceId: DEVICE,
          seq,
          timeMs: baseTimeMs,
          payload: {
            kind: 'triggerCapture',
            capture: {
              name: s.pick % 2 ? 'collision' : 'overspeed',
              triggeredAtMs: baseTimeMs,
              relatedSeq: Math.max(0, seq - 1),
              window: [],
            },
          },
          ...stamp,
        },
        receivedAtMs,
      });
    } else if (s.kind === 'service') {
      // What the API lets through: positive intervals, ahead below them, any odometer ≥ 0.
      const big = Math.max(s.big, Number.MIN_VALUE);
      out.push({
        kind: 'service',
        input:
          s.pick % 2
            ? { kind: 'serviced', timeMs: baseTimeMs, odometerKm: s.big }
            : {
                kind: 'plan',
                timeMs: baseTimeMs,
                plan: { intervalKm: big, intervalDays: big, aheadKm: 0, aheadDays: 0 },
              },
      });
    } else if (s.kind === 'status') {
      out.push({
        kind: 'status',
        status: { deviceId: DEVICE, timeMs: baseTimeMs, state: 'online', agentVersion: '0.1.0' },
        receivedAtMs,
      });
    } else {
      out.push({ kind: 'tick', nowMs: receivedAtMs });
    }
  }
  return out;
}

const firstSeq = fc.constantFrom(0, 1, 2 ** 40, MAX_SEQ - 3, MAX_SEQ);

/** Messages cut into consumer batches, with actor restarts between some of them. */
const plans: fc.Arbitrary<Plan> = fc
  .tuple(
    firstSeq,
    fc.array(step, { minLength: 1, maxLength: 24 }),
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 24, maxLength: 24 }),
    fc.array(fc.nat(24), { maxLength: 3 }),
  )
  .map(([first, steps, sizes, restartBefore]) => {
    const messages = messagesOf(first, steps);
    const batches: VehicleMessage[][] = [];
    for (let i = 0, k = 0; i < messages.length; k++) {
      const n = sizes[k % sizes.length] as number;
      batches.push(messages.slice(i, i + n));
      i += n;
    }
    return { batches, restartBefore };
  });

// ── the properties ───────────────────────────────────────────────────────────────────────

describe('VehicleActor under hostile seqs and times', () => {
  it('should handle every generated stream in bounded time, poison only with a reason, and write each new sample exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => void (await expectHandled(plan))),
      // A hang costs the deadline on every shrinking step: report the stream as found.
      { numRuns: 300, endOnFailure: true },
    );
  }, 120_000);

  const batch = (
    seq: number,
    baseTimeMs: number,
    values: number[],
    extra = {},
  ): VehicleMessage => ({
    kind: 'telemetry',
    batch: {
      deviceId: DEVICE,
      seq,
      baseTimeMs,
      samples: values.map((value, i) => ({
        deviceId: DEVICE,
        signalId: 1,
        timeMs: baseTimeMs + i * 1000,
        value,
      })),
      ...extra,
    },
    receivedAtMs: 1_764_000_000_000 + seq,
  });

  it('should take a seq jump of 2^40 and the batches after it without walking the gap', async () => {
    const t = 1_764_000_000_000;
    await expectHandled({
      batches: [
        [batch(1, t, [10])],
        [batch(2 ** 40 + 1, t + 10_000, [20])],
        [batch(2 ** 40 + 2, t + 20_000, [30]), { kind: 'tick', nowMs: t + 3_600_000 }],
      ],
      restartBefore: [2],
    });
  }, 30_000);

  it('should take seq 2^53 − 1 first, a repeat of it, and a batch going back below it', async () => {
    const t = 1_764_000_000_000;
    const top = batch(MAX_SEQ, t, [1, 2]);
    await expectHandled({
      batches: [[top], [top, batch(MAX_SEQ - 5, t - 60_000, [3])], [batch(MAX_SEQ - 1, t, [4])]],
      restartBefore: [2],
    });
  }, 30_000);

  it('should store every batch of a counter that started again (a new seq epoch)', async () => {
    const t = 1_764_000_000_000;
    await expectHandled({
      batches: [
        [batch(1, t, [1]), batch(2, t + 1000, [2]), batch(3, t + 2000, [3])],
        // The agent reinstalled: seq from 1 again, new data.
        [batch(1, t + 60_000, [4], { [EPOCH]: 7 }), batch(2, t + 61_000, [5], { [EPOCH]: 7 })],
      ],
      restartBefore: [],
    });
  }, 30_000);

  it('should take samples at 1970 and at the last millisecond a Date holds, and a tick there', async () => {
    const result = await expectHandled({
      batches: [
        [batch(1, 0, [1, 2]), batch(2, MAX_DATE_MS - 1000, [3, 4])],
        [{ kind: 'tick', nowMs: MAX_DATE_MS }],
      ],
      restartBefore: [1],
    });
    expect(result.poisoned).toEqual([]);
  }, 30_000);
});
