import {
  catalogue,
  decodeEvent,
  decodeTelemetryBatch,
  type EventPayload,
  encodeEvent,
  encodeTelemetryBatch,
  MAX_SAMPLES_PER_MESSAGE,
  MAX_TROUBLE_CODES,
  type Sample,
  signalId,
} from '@fleetline/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capTroubleCodes, fitEvent, fitTelemetry } from '../../src/uplink/fit.js';

/**
 * Events as messages the wire takes: windows cut in time order into parts that each fit the
 * sample and byte bounds, every sample in exactly one part; trouble codes cut to the contract's
 * most, the most important kept.
 */

const t0 = 1_764_000_000_000;
const KiB = 1024;
const speed = signalId('Vehicle.Speed');
const ax = signalId('Vehicle.Acceleration.Longitudinal');

/** `n` samples of two signals at 10 ms, with values that cost a few bytes each. */
function window(n: number, from = t0): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    signalId: i % 2 === 0 ? speed : ax,
    timeMs: from + Math.floor(i / 2) * 10,
    value: Math.round(Math.sin(i / 37) * 10_000) / 100,
  }));
}

/** Encodes each message as the spool would (its own seq), decodes it, returns the events. */
function onTheWire(messages: readonly EventPayload[], maxBytes: number) {
  return messages.map((payload, i) => {
    const bytes = encodeEvent({ deviceId: 'veh-1', seq: 100 + i, timeMs: t0, payload });
    expect(bytes.length).toBeLessThanOrEqual(maxBytes);
    return decodeEvent(bytes);
  });
}

const windowOf = (p: EventPayload) =>
  p.kind === 'collision' ? p.collision.window : p.kind === 'triggerCapture' ? p.capture.window : [];
const key = (s: Sample) => `${s.timeMs}/${s.signalId}/${s.value}`;

describe('fitEvent for a trigger capture', () => {
  const capture = (w: Sample[]): EventPayload => ({
    kind: 'triggerCapture',
    capture: { name: 'overspeed', triggeredAtMs: t0 + 5000, relatedSeq: 0, window: w },
  });

  it('should send a window that fits as one message', () => {
    const fitted = fitEvent('veh-1', capture(window(1000)), t0, 128 * KiB);
    expect(fitted.first).toEqual(capture(window(1000)));
    expect(fitted.rest(1)).toEqual([]);
  });

  it(`should cut a window of ${3 * MAX_SAMPLES_PER_MESSAGE} samples into parts of the same trigger, in time order, each sample once`, () => {
    const w = window(3 * MAX_SAMPLES_PER_MESSAGE + 5);
    // Shuffled: the window comes per signal, the parts go by time.
    const shuffled = [...w].sort((a, b) => a.signalId - b.signalId);
    const fitted = fitEvent('veh-1', capture(shuffled), t0, 128 * KiB);
    const parts = onTheWire([fitted.first, ...fitted.rest(7)], 128 * KiB);
    expect(parts.length).toBeGreaterThanOrEqual(4);
    for (const p of parts) {
      expect(p.payload).toMatchObject({
        kind: 'triggerCapture',
        capture: { name: 'overspeed', triggeredAtMs: t0 + 5000, relatedSeq: 0 },
      });
      expect(windowOf(p.payload).length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
    }
    const back = parts.flatMap((p) => windowOf(p.payload));
    expect(back.map(key).sort()).toEqual(w.map(key).sort());
    const spans = parts.map((p) => windowOf(p.payload).map((s) => s.timeMs));
    for (let i = 1; i < spans.length; i++) {
      expect(Math.min(...(spans[i] as number[]))).toBeGreaterThanOrEqual(
        Math.max(...(spans[i - 1] as number[])),
      );
    }
  });

  it('should cut by bytes too, within the bound the agent is given', () => {
    const w = window(4000);
    const fitted = fitEvent('veh-1', capture(w), t0, 4 * KiB);
    const parts = onTheWire([fitted.first, ...fitted.rest(1)], 4 * KiB);
    expect(parts.length).toBeGreaterThan(1);
    expect(
      parts
        .flatMap((p) => windowOf(p.payload))
        .map(key)
        .sort(),
    ).toEqual(w.map(key).sort());
  });

  it('should send an empty window as it is', () => {
    const fitted = fitEvent('veh-1', capture([]), t0, 128 * KiB);
    expect(fitted.first).toEqual(capture([]));
    expect(fitted.rest(1)).toEqual([]);
  });
});

describe('fitEvent for a collision', () => {
  const collision = (w: Sample[]): EventPayload => ({
    kind: 'collision',
    collision: {
      severity: 'severe',
      peakG: 12.5,
      deltaVKmh: -31,
      direction: 'front',
      latitude: 31.2304,
      longitude: 121.4737,
      speedBeforeKmh: 50,
      window: w,
    },
  });

  it('should keep a window that fits in the collision', () => {
    const fitted = fitEvent('veh-1', collision(window(500)), t0, 128 * KiB);
    expect(fitted.first).toEqual(collision(window(500)));
    expect(fitted.rest(9)).toEqual([]);
  });

  it('should keep the samples nearest the impact in the collision and send the rest as captures naming its seq', () => {
    const impact = t0 + 60_000;
    // One minute before the impact, ending at it.
    const w = window(2 * 6001, impact - 60_000).concat(
      Array.from({ length: 40_000 }, (_, i) => ({
        signalId: signalId('Vehicle.OBD.EngineLoad'),
        timeMs: impact - 60_000 + Math.floor((i * 60_000) / 40_000),
        value: i % 100,
      })),
    );
    const fitted = fitEvent('veh-1', collision(w), impact, 128 * KiB);
    expect(fitted.first.kind).toBe('collision');
    const own = windowOf(fitted.first);
    expect(Math.max(...own.map((s) => s.timeMs))).toBe(impact);
    const rest = fitted.rest(41);
    expect(rest.length).toBeGreaterThan(0);
    for (const p of rest) {
      expect(p).toMatchObject({
        kind: 'triggerCapture',
        capture: { name: 'collision', triggeredAtMs: impact, relatedSeq: 41 },
      });
      // Earlier than what the collision carries.
      expect(Math.max(...windowOf(p).map((s) => s.timeMs))).toBeLessThanOrEqual(
        Math.min(...own.map((s) => s.timeMs)),
      );
    }
    const parts = onTheWire([fitted.first, ...rest], 128 * KiB);
    expect(
      parts
        .flatMap((p) => windowOf(p.payload))
        .map(key)
        .sort(),
    ).toEqual(w.map(key).sort());
  });
});

describe('capTroubleCodes', () => {
  const code = (system: string, n: number) =>
    `${system}0${n.toString(16).toUpperCase().padStart(3, '0')}`;

  it(`should pass up to ${MAX_TROUBLE_CODES} codes as they are, once each`, () => {
    const codes = Array.from({ length: MAX_TROUBLE_CODES }, (_, i) => code('B', i));
    expect(capTroubleCodes(codes)).toEqual({ codes, leftOut: 0 });
    expect(capTroubleCodes(['P0301', 'P0301', 'U0100'])).toEqual({
      codes: ['P0301', 'U0100'],
      leftOut: 0,
    });
  });

  it('should keep powertrain, then network, chassis and body codes, in the order reported', () => {
    const body = Array.from({ length: 60 }, (_, i) => code('B', i));
    const chassis = Array.from({ length: 60 }, (_, i) => code('C', i));
    const network = Array.from({ length: 30 }, (_, i) => code('U', i));
    const powertrain = Array.from({ length: 50 }, (_, i) => code('P', i));
    const reported = [...body, ...chassis, ...network, ...powertrain];
    const { codes, leftOut } = capTroubleCodes(reported);
    expect(leftOut).toBe(200 - MAX_TROUBLE_CODES);
    expect(codes).toEqual([...chassis.slice(0, 48), ...network, ...powertrain]);
  });
});

const decimals = (id: number) => catalogue.find((c) => c.id === id)?.decimals ?? 0;

describe('fit under generated windows', () => {
  /**
   * Windows as a busy bus makes them: a few signals, a rate, a length, values that cost one
   * byte or several, sometimes irregular times — and any byte bound the agent may be given.
   */
  const generated = fc
    .record({
      signals: fc.subarray(
        catalogue.map((c) => c.id),
        { minLength: 1, maxLength: 8 },
      ),
      n: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1000, max: 80_000 })),
      stepMs: fc.constantFrom(1, 5, 10, 100),
      jitter: fc.boolean(),
      noisy: fc.boolean(),
      maxBytes: fc.integer({ min: 1024, max: 128 * KiB }),
    })
    .map((g) => ({
      maxBytes: g.maxBytes,
      samples: Array.from({ length: g.n }, (_, i): Sample => {
        const step = Math.floor(i / g.signals.length);
        return {
          signalId: g.signals[i % g.signals.length] as number,
          timeMs: t0 + step * g.stepMs + (g.jitter ? (i * 7919) % g.stepMs : 0),
          // On the signal's resolution, as the wire carries it (value = q / 10^decimals).
          value:
            (g.noisy ? ((i * 104_729) % 20_001) - 10_000 : 50) /
            10 ** decimals(g.signals[i % g.signals.length] as number),
        };
      }),
    }));

  const key = (s: Sample) => `${s.timeMs}/${s.signalId}/${s.value}`;
  const sorted = (l: readonly Sample[]) => l.map(key).sort();

  it('should put every sample of a trigger window in exactly one part, each part within the bounds', () => {
    fc.assert(
      fc.property(generated, ({ samples, maxBytes }) => {
        const fitted = fitEvent(
          'veh-1',
          {
            kind: 'triggerCapture',
            capture: { name: 'g', triggeredAtMs: t0, relatedSeq: 3, window: samples },
          },
          t0,
          maxBytes,
        );
        const parts = onTheWire([fitted.first, ...fitted.rest(4)], maxBytes);
        for (const p of parts)
          expect(windowOf(p.payload).length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
        expect(sorted(parts.flatMap((p) => windowOf(p.payload)))).toEqual(sorted(samples));
      }),
      { numRuns: 25 },
    );
  });

  it('should put every sample of a collision window in the collision or a capture naming it', () => {
    fc.assert(
      fc.property(generated, ({ samples, maxBytes }) => {
        const fitted = fitEvent(
          'veh-1',
          {
            kind: 'collision',
            collision: {
              severity: 'minor',
              peakG: 3,
              deltaVKmh: 9,
              direction: 'rear',
              speedBeforeKmh: 20,
              window: samples,
            },
          },
          t0,
          maxBytes,
        );
        expect(fitted.first.kind).toBe('collision');
        const rest = fitted.rest(77);
        for (const p of rest)
          expect(p).toMatchObject({ capture: { name: 'collision', relatedSeq: 77 } });
        const parts = onTheWire([fitted.first, ...rest], maxBytes);
        expect(sorted(parts.flatMap((p) => windowOf(p.payload)))).toEqual(sorted(samples));
      }),
      { numRuns: 25 },
    );
  });

  it('should put every telemetry sample in exactly one batch within the bounds', () => {
    fc.assert(
      fc.property(generated, ({ samples, maxBytes }) => {
        const back: Sample[] = [];
        for (const part of fitTelemetry('veh-1', samples, maxBytes)) {
          expect(part.length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
          const bytes = encodeTelemetryBatch({
            deviceId: 'veh-1',
            seq: Number.MAX_SAFE_INTEGER,
            seqEpoch: 0xffff_ffff,
            samples: part,
          });
          expect(bytes.length).toBeLessThanOrEqual(maxBytes);
          back.push(...decodeTelemetryBatch(bytes).samples);
        }
        expect(sorted(back)).toEqual(sorted(samples));
      }),
      { numRuns: 25 },
    );
  });
});
