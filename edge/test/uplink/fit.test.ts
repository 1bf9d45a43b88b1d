import {
  decodeEvent,
  type EventPayload,
  encodeEvent,
  MAX_SAMPLES_PER_MESSAGE,
  MAX_TROUBLE_CODES,
  type Sample,
  signalId,
} from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { capTroubleCodes, fitEvent } from '../../src/uplink/fit.js';

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
