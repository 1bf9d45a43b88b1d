import { describe, expect, it } from 'vitest';
import {
  catalogue,
  decodeEvent,
  decodeTelemetryBatch,
  encodeEvent,
  encodeTelemetryBatch,
  InvalidMessageError,
  LimitExceededError,
  MAX_SAMPLES_PER_MESSAGE,
  MAX_TROUBLE_CODES,
  pb,
  signalId,
} from '../src/index.js';

/**
 * What one message may carry: trouble codes in SAE J2012 form and no more than a vehicle
 * has, and a bounded number of samples — refused by the decoder (so by the gateway, before
 * anything is stored or alerted) with an error that names the field.
 */

const base = 1_764_000_000_000;
const speed = signalId('Vehicle.Speed');

const troubleCodesEvent = (codes: string[]) =>
  pb.telemetry.v1.Event.encode({
    deviceId: 'veh-1',
    seq: 1,
    timeMs: base,
    troubleCodes: { codes },
  }).finish();

/** A code for each n: P0000, C1001, … (valid J2012 form). */
const code = (n: number) =>
  `${'PCBU'[n % 4]}${(n >> 2) % 4}${(n & 0xfff).toString(16).toUpperCase().padStart(3, '0')}`;

describe('trouble codes', () => {
  it('should take codes in SAE J2012 form: system letter, 0–3, three hex digits', () => {
    const codes = ['P0301', 'C1234', 'B2ABC', 'U3FFF', 'P0000'];
    expect(decodeEvent(troubleCodesEvent(codes)).payload).toEqual({ kind: 'troubleCodes', codes });
    expect(decodeEvent(troubleCodesEvent([])).payload).toEqual({ kind: 'troubleCodes', codes: [] });
  });

  it.each([
    ['a letter that is no system', 'X0301'],
    ['a first digit past 3', 'P4301'],
    ['a digit that is not hex', 'P030G'],
    ['lower case', 'p0301'],
    ['too short', 'P030'],
    ['too long', 'P03011'],
    ['a failure-type byte (the edge sends none)', 'P0301-1F'],
    ['surrounding space', ' P0301'],
    ['nothing', ''],
  ])('should refuse a code with %s, naming it and where', (_what, bad) => {
    const bytes = troubleCodesEvent(['P0301', bad]);
    expect(() => decodeEvent(bytes)).toThrow(InvalidMessageError);
    expect(() => decodeEvent(bytes)).toThrow(
      `Event.trouble_codes.codes[1] ${JSON.stringify(bad)} is not a trouble code`,
    );
  });

  it(`should take ${MAX_TROUBLE_CODES} codes in one event and refuse more`, () => {
    const most = Array.from({ length: MAX_TROUBLE_CODES }, (_, i) => code(i));
    expect(decodeEvent(troubleCodesEvent(most)).payload).toMatchObject({ codes: most });
    const over = troubleCodesEvent([...most, 'P0301']);
    expect(() => decodeEvent(over)).toThrow(LimitExceededError);
    expect(() => decodeEvent(over)).toThrow(
      `Event.trouble_codes carries ${MAX_TROUBLE_CODES + 1} codes; at most ${MAX_TROUBLE_CODES}`,
    );
  });

  it('should refuse to encode what it would refuse to decode', () => {
    const event = (codes: string[]) => ({
      deviceId: 'veh-1',
      seq: 1,
      timeMs: base,
      payload: { kind: 'troubleCodes' as const, codes },
    });
    expect(() => encodeEvent(event(['P03O1']))).toThrow(InvalidMessageError);
    const many = Array.from({ length: MAX_TROUBLE_CODES + 1 }, (_, i) => code(i));
    expect(() => encodeEvent(event(many))).toThrow(LimitExceededError);
  });
});

describe('samples per message', () => {
  /** A batch of n samples of one signal at 1 ms, each one byte on the wire. */
  const batchOf = (n: number, series = 1) =>
    pb.telemetry.v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: base,
      series: Array.from({ length: series }, () => ({
        signalId: speed,
        timeDeltaMs: [0],
        intervalMs: 1,
        valueDelta: new Array<number>(Math.ceil(n / series)).fill(0),
      })),
    }).finish();

  it(`should take ${MAX_SAMPLES_PER_MESSAGE} samples in a batch`, () => {
    expect(decodeTelemetryBatch(batchOf(MAX_SAMPLES_PER_MESSAGE)).samples).toHaveLength(
      MAX_SAMPLES_PER_MESSAGE,
    );
  });

  it('should refuse a batch of more samples, counted over all its series', () => {
    // 200,000 samples in 200 KB: what one device once turned into 200,000 rows.
    const bytes = batchOf(200_000, 4);
    expect(bytes.length).toBeLessThan(256 * 1024);
    expect(() => decodeTelemetryBatch(bytes)).toThrow(LimitExceededError);
    expect(() => decodeTelemetryBatch(bytes)).toThrow(
      `TelemetryBatch carries 200000 samples; at most ${MAX_SAMPLES_PER_MESSAGE}`,
    );
  });

  it('should refuse an event window of more samples', () => {
    const bytes = pb.telemetry.v1.Event.encode({
      deviceId: 'veh-1',
      seq: 1,
      timeMs: base,
      triggerCapture: {
        name: 'overspeed',
        triggeredAtMs: base,
        windowBaseTimeMs: base,
        window: [
          {
            signalId: speed,
            timeDeltaMs: [0],
            intervalMs: 1,
            valueDelta: new Array<number>(MAX_SAMPLES_PER_MESSAGE + 1).fill(0),
          },
        ],
      },
    }).finish();
    expect(() => decodeEvent(bytes)).toThrow(
      `Event.trigger_capture.window carries ${MAX_SAMPLES_PER_MESSAGE + 1} samples`,
    );
  });

  it('should refuse to encode a batch of more samples', () => {
    const samples = Array.from({ length: MAX_SAMPLES_PER_MESSAGE + 1 }, (_, i) => ({
      signalId: speed,
      timeMs: base + i,
      value: 0,
    }));
    expect(() => encodeTelemetryBatch({ deviceId: 'veh-1', seq: 1, samples })).toThrow(
      LimitExceededError,
    );
  });
});

describe('signal ids', () => {
  /** A batch of one sample of signal `id`, sent as a double (as a signal unknown to the cloud could be). */
  const batchWith = (id: number) =>
    pb.telemetry.v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: base,
      series: [
        { signalId: speed, timeDeltaMs: [0], valueDelta: [5000] },
        { signalId: id, timeDeltaMs: [0], value: [1.5] },
      ],
    }).finish();

  it('should take every catalogue id', () => {
    for (const s of catalogue) {
      expect(decodeTelemetryBatch(batchWith(s.id)).samples).toContainEqual({
        signalId: s.id,
        timeMs: base,
        value: 1.5,
      });
    }
  });

  it.each([
    ['one past the catalogue', catalogue.length + 1],
    ['a large id', 4_000_000],
    ['the largest uint32', 0xffff_ffff],
  ])('should refuse %s in a batch, naming the series and the id', (_what, id) => {
    expect(() => decodeTelemetryBatch(batchWith(id))).toThrow(InvalidMessageError);
    expect(() => decodeTelemetryBatch(batchWith(id))).toThrow(
      `TelemetryBatch.series[1]: signal_id ${id} is not in the signal catalogue`,
    );
  });

  it('should refuse an unknown id in an event window', () => {
    const bytes = pb.telemetry.v1.Event.encode({
      deviceId: 'veh-1',
      seq: 1,
      timeMs: base,
      triggerCapture: {
        name: 'overspeed',
        triggeredAtMs: base,
        windowBaseTimeMs: base,
        window: [{ signalId: 777, timeDeltaMs: [0], value: [1] }],
      },
    }).finish();
    expect(() => decodeEvent(bytes)).toThrow(
      'Event.trigger_capture.window.series[0]: signal_id 777 is not in the signal catalogue',
    );
  });

  it('should refuse to encode a sample of an unknown signal', () => {
    const samples = [{ signalId: 777, timeMs: base, value: 1 }];
    expect(() => encodeTelemetryBatch({ deviceId: 'veh-1', seq: 1, samples })).toThrow(
      'sample signal id 777 is not in the signal catalogue',
    );
  });
});
