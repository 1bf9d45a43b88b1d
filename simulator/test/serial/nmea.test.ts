import {
  type GnssFix,
  LineFramer,
  NmeaDecoder,
  NmeaError,
  type Reading,
  xorChecksum,
} from '@fleetline/edge';
import { describe, expect, it } from 'vitest';
import { nmeaSentences, type SimulatedFix } from '../../src/serial/nmea.js';

/**
 * Sends epochs through the edge agent's own NMEA path, as a serial port would deliver them:
 * CR LF terminated bytes, split by the LineFramer, decoded by the NmeaDecoder. No receive
 * time is passed, so the decoder works as in a replay and never consults the host clock.
 */
function decode(epochs: readonly (readonly string[])[], fallbackUs?: number) {
  const fixes: GnssFix[] = [];
  const decoder = new NmeaDecoder({
    onFix: (fix) => fixes.push(fix),
    ...(fallbackUs !== undefined && { fallbackUs: () => fallbackUs }),
  });
  const framer = new LineFramer();
  const bytes = Buffer.from(
    epochs
      .flat()
      .map((s) => `${s}\r\n`)
      .join(''),
    'latin1',
  );
  const { lines, overlong } = framer.push(bytes);
  expect(overlong).toBe(0);
  const readings: Reading[] = [];
  const errors: Error[] = [];
  for (const line of lines) {
    const out = decoder.decode(line);
    readings.push(...out.readings);
    errors.push(...out.errors);
  }
  readings.push(...decoder.end().readings);
  return { fixes, readings, errors, decoder };
}

function decodeOne(fix: SimulatedFix) {
  const result = decode([nmeaSentences(fix)]);
  expect(result.errors).toEqual([]);
  expect(result.fixes).toHaveLength(1);
  return result.fixes[0]!;
}

const at = (iso: string) => Date.parse(iso);

const BASE: SimulatedFix = {
  timeMs: at('2024-05-17T10:20:30.450Z'),
  valid: true,
  latitude: 48.1499883,
  longitude: 11.5846633,
  altitudeM: 512.3,
  speedKmh: 87.4,
  courseDeg: 123.45,
  satellites: 11,
  hdop: 1.27,
};

describe('nmeaSentences, decoded by the edge agent', () => {
  it('round-trips a valid fix: position, motion, quality, satellites, HDOP, altitude, time', () => {
    const fix = decodeOne(BASE);
    expect(fix).toMatchObject({
      valid: true,
      timeUs: BASE.timeMs * 1000,
      dateSource: 'receiver',
      fixQuality: 1,
      fixType: 3,
      satellites: 11,
      hdop: 1.27,
      altitudeM: 512.3,
      courseDeg: 123.45,
      talkers: ['GP'],
    });
    expect(Math.abs(fix.latitude! - BASE.latitude)).toBeLessThan(1e-7);
    expect(Math.abs(fix.longitude! - BASE.longitude)).toBeLessThan(1e-7);
    expect(Math.abs(fix.speedKmh! - BASE.speedKmh)).toBeLessThan(0.01);
  });

  it('yields every gnss reading of a valid fix, stamped with the fix time', () => {
    const { readings } = decode([nmeaSentences(BASE)]);
    expect(readings.map((r) => r.name).sort()).toEqual(
      [
        'gnss.altitude',
        'gnss.course',
        'gnss.fix_quality',
        'gnss.hdop',
        'gnss.latitude',
        'gnss.longitude',
        'gnss.satellites',
        'gnss.speed',
      ].sort(),
    );
    expect(new Set(readings.map((r) => r.timeUs))).toEqual(new Set([BASE.timeMs * 1000]));
  });

  it('fills in the defaults: altitude 10 m, 9 satellites, HDOP 0.9', () => {
    const { altitudeM: _a, satellites: _s, hdop: _h, ...bare } = BASE;
    expect(decodeOne(bare)).toMatchObject({ altitudeM: 10, satellites: 9, hdop: 0.9 });
  });

  it.each([
    ['north-east', 48.1499883, 11.5846633],
    ['south-east', -33.86882, 151.20929],
    ['south-west', -34.6037232, -58.3815931],
    ['north-west', 40.7127753, -74.0059728],
    ['just north and west of 0,0', 0.00000004, -0.00000004],
    ['just south and east of 0,0', -0.0000001, 0.0000001],
    ['on the equator and the meridian', 0, 0],
    ['next to the antimeridian, east', 12.5, 179.99999995],
    ['next to the antimeridian, west', -12.5, -179.99999995],
    ['on the antimeridian', 1, -180],
    ['near the poles', -89.99999996, 179.123456789],
    ['degrees that are nearly whole', 12.9999999999, -99.99999999999],
    ['few minutes past a degree', 7.000000001, -7.0000001],
  ])('puts the position %s within 1e-8 degrees', (_name, latitude, longitude) => {
    const fix = decodeOne({ ...BASE, latitude, longitude });
    expect(fix.valid).toBe(true);
    // Half a millionth of a minute is 8.3e-9 degrees; five decimals would allow ten times that.
    expect(Math.abs(fix.latitude! - latitude)).toBeLessThan(1e-8);
    expect(Math.abs(fix.longitude! - longitude)).toBeLessThan(1e-8);
  });

  it('writes the hemispheres and carries minutes that round to 60 into the degrees', () => {
    const fields = (latitude: number, longitude: number) =>
      nmeaSentences({ ...BASE, latitude, longitude }, { sentences: ['GGA'] })[0]!
        .split(',')
        .slice(2, 6);
    expect(fields(12.9999999999, 179.9999999999)).toEqual([
      '1300.000000',
      'N',
      '18000.000000',
      'E',
    ]);
    expect(fields(-12.9999999999, -5.9999999999)).toEqual([
      '1300.000000',
      'S',
      '00600.000000',
      'W',
    ]);
    expect(fields(-0.5, -0.25)).toEqual(['0030.000000', 'S', '00015.000000', 'W']);
    expect(fields(48.1499883, 11.5846633)).toEqual(['4808.999298', 'N', '01135.079798', 'E']);
    // Too small to show: no "south zero".
    expect(fields(-1e-10, -1e-10)).toEqual(['0000.000000', 'N', '00000.000000', 'E']);
    expect(fields(-90, -180)).toEqual(['9000.000000', 'S', '18000.000000', 'W']);
  });

  it.each([0, 0.004, 1, 1.852, 33.3333, 87.4, 130.35, 299.99, 999.999])(
    'decodes a speed of %s km/h to within 0.01, from RMC knots and from VTG km/h',
    (speedKmh) => {
      const fromRmc = decodeOne({ ...BASE, speedKmh });
      expect(Math.abs(fromRmc.speedKmh! - speedKmh)).toBeLessThan(0.01);
      // Without RMC the decoder takes the speed from VTG.
      const { fixes } = decode([
        nmeaSentences({ ...BASE, speedKmh }, { sentences: ['VTG', 'GGA'] }),
      ]);
      expect(Math.abs(fixes[0]!.speedKmh! - speedKmh)).toBeLessThan(0.01);
    },
  );

  it('writes speed in knots in RMC, knots and km/h in VTG, three decimals each', () => {
    const [rmc, vtg] = nmeaSentences({ ...BASE, speedKmh: 100 }, { sentences: ['RMC', 'VTG'] });
    expect(rmc!.split(',')[7]).toBe('53.996');
    expect(vtg!.replace(/\*..$/, '')).toBe('$GPVTG,123.45,T,,M,53.996,N,100.000,K,A');
  });

  it.each([
    [0, 0],
    [45.5, 45.5],
    [123.456, 123.46],
    [359.99, 359.99],
    [359.996, 0],
    [360, 0],
    [-10, 350],
    [725, 5],
  ])('writes course %s as %s degrees true', (courseDeg, expected) => {
    const fix = decodeOne({ ...BASE, courseDeg });
    expect(fix.courseDeg).toBe(expected);
  });

  it('stamps a fix just before midnight on New Year’s Eve with its own date', () => {
    const timeMs = at('2023-12-31T23:59:59.990Z');
    const [rmc] = nmeaSentences({ ...BASE, timeMs });
    expect(rmc!.split(',')[1]).toBe('235959.99');
    expect(rmc!.split(',')[9]).toBe('311223');
    expect(decodeOne({ ...BASE, timeMs })).toMatchObject({ timeUs: timeMs * 1000 });
  });

  it('dates a fix on 29 February', () => {
    const timeMs = at('2024-02-29T12:34:56.780Z');
    const [rmc] = nmeaSentences({ ...BASE, timeMs });
    expect(rmc!.split(',')[9]).toBe('290224');
    expect(decodeOne({ ...BASE, timeMs }).timeUs).toBe(timeMs * 1000);
  });

  it('carries a time that rounds up to midnight into the next date', () => {
    const [rmc] = nmeaSentences({ ...BASE, timeMs: at('2024-02-28T23:59:59.996Z') });
    expect(rmc!.split(',')[1]).toBe('000000.00');
    expect(rmc!.split(',')[9]).toBe('290224');
  });

  it('keeps one fix per epoch over midnight at 10 Hz, each with the receiver date', () => {
    const start = at('2024-12-31T23:59:59.700Z');
    const epochs = Array.from({ length: 6 }, (_, i) =>
      nmeaSentences({ ...BASE, timeMs: start + i * 100 }),
    );
    const { fixes, errors } = decode(epochs);
    expect(errors).toEqual([]);
    expect(fixes.map((f) => f.timeUs)).toEqual(
      Array.from({ length: 6 }, (_, i) => (start + i * 100) * 1000),
    );
    expect(fixes.every((f) => f.valid && f.dateSource === 'receiver')).toBe(true);
  });

  it('replays dates far from today, down to 1980 and up to 2079', () => {
    for (const iso of [
      '1980-01-06T00:00:00.000Z',
      '1999-08-22T08:00:00.000Z',
      '2079-12-31T23:59:59.000Z',
    ]) {
      expect(decodeOne({ ...BASE, timeMs: at(iso) }).timeUs).toBe(at(iso) * 1000);
    }
  });

  it('sends RMC, VTG, GGA, GSA by default, as a u-blox does, each with a valid checksum', () => {
    const sentences = nmeaSentences(BASE);
    expect(sentences.map((s) => s.slice(1, 6))).toEqual(['GPRMC', 'GPVTG', 'GPGGA', 'GPGSA']);
    for (const s of sentences) {
      const m = /^\$([ -#%-)+-~]+)\*([0-9A-F]{2})$/.exec(s);
      expect(m, s).not.toBeNull();
      expect(Number.parseInt(m![2]!, 16)).toBe(xorChecksum(m![1]!));
    }
  });

  it('has the decoder refuse a sentence with one character changed', () => {
    for (const sentence of nmeaSentences(BASE)) {
      expect(decode([[sentence]]).errors).toEqual([]);
      // A digit changed for another still reads as a well-formed field: only the checksum
      // can tell.
      const i = sentence.search(/\d/);
      const tampered = `${sentence.slice(0, i)}${sentence[i] === '1' ? '2' : '1'}${sentence.slice(i + 1)}`;
      const { errors, readings } = decode([[tampered]]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(NmeaError);
      expect((errors[0] as NmeaError).details).toMatchObject({ reason: 'checksum' });
      expect(readings).toEqual([]);
    }
  });

  it('keeps every sentence within the 82 characters NMEA allows, CR LF included', () => {
    const extreme: SimulatedFix = {
      timeMs: at('2024-12-31T23:59:59.990Z'),
      valid: true,
      latitude: -89.9999999,
      longitude: -179.9999999,
      altitudeM: -1234.5,
      speedKmh: 1851.999,
      courseDeg: 359.99,
      satellites: 12,
      hdop: 99.99,
    };
    for (const s of nmeaSentences(extreme)) expect(`${s}\r\n`.length, s).toBeLessThanOrEqual(82);
  });

  it('uses the talker given, and sends the sentences asked for in their order, once each', () => {
    const sentences = nmeaSentences(BASE, { talker: 'GN', sentences: ['GGA', 'RMC', 'GGA'] });
    expect(sentences.map((s) => s.slice(1, 6))).toEqual(['GNGGA', 'GNRMC']);
    const { fixes } = decode([sentences]);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({ valid: true, talkers: ['GN'], satellites: 11 });
  });

  it('lists as many satellites in GSA as GGA counts, at most the twelve fields it has', () => {
    const ids = (satellites: number) =>
      nmeaSentences({ ...BASE, satellites }, { sentences: ['GSA'] })[0]!
        .split(',')
        .slice(3, 15)
        .filter((id) => id !== '').length;
    expect(ids(4)).toBe(4);
    expect(ids(11)).toBe(11);
    expect(ids(20)).toBe(12);
    expect(decodeOne({ ...BASE, satellites: 20 }).satellites).toBe(20);
  });
});

describe('nmeaSentences without a fix', () => {
  // The receiver's own counts, not the ones of the fix before.
  const { satellites: _s, hdop: _h, ...rest } = BASE;
  const lost: SimulatedFix = { ...rest, timeMs: BASE.timeMs + 1000, valid: false };

  it('leaves position, motion and altitude empty and denies the fix in every sentence', () => {
    const [rmc, vtg, gga, gsa] = nmeaSentences({ ...lost, satellites: 3 });
    expect(rmc!.replace(/\*..$/, '')).toBe('$GPRMC,102031.45,V,,,,,,,170524,,,N');
    expect(vtg!.replace(/\*..$/, '')).toBe('$GPVTG,,T,,M,,N,,K,N');
    expect(gga!.replace(/\*..$/, '')).toBe('$GPGGA,102031.45,,,,,0,03,99.99,,M,,M,,');
    expect(gsa!.replace(/\*..$/, '')).toBe('$GPGSA,A,1,,,,,,,,,,,,,,99.99,');
  });

  it('decodes as an invalid fix with only the fix quality and satellites as readings', () => {
    const { fixes, readings, errors } = decode([nmeaSentences(BASE), nmeaSentences(lost)]);
    expect(errors).toEqual([]);
    expect(fixes.map((f) => f.valid)).toEqual([true, false]);
    expect(fixes[1]).toMatchObject({
      timeUs: lost.timeMs * 1000,
      fixQuality: 0,
      satellites: 0,
      fixType: 1,
    });
    expect(fixes[1]!.latitude).toBeUndefined();
    const after = readings.filter((r) => r.timeUs === lost.timeMs * 1000);
    expect(after).toEqual([
      { name: 'gnss.fix_quality', value: 0, timeUs: lost.timeMs * 1000 },
      { name: 'gnss.satellites', value: 0, timeUs: lost.timeMs * 1000 },
    ]);
  });

  it('is denied by RMC alone and by GGA alone', () => {
    const fallbackUs = lost.timeMs * 1000;
    const rmcOnly = decode([nmeaSentences(lost, { sentences: ['RMC'] })], fallbackUs).fixes;
    expect(rmcOnly).toMatchObject([{ valid: false, invalidReason: 'GPRMC status V' }]);
    const ggaOnly = decode([nmeaSentences(lost, { sentences: ['GGA'] })], fallbackUs).fixes;
    expect(ggaOnly).toMatchObject([{ valid: false, invalidReason: 'GPGGA quality 0' }]);
  });

  it('does not need a position to describe a lost fix', () => {
    const noPosition = { ...lost, latitude: Number.NaN, longitude: Number.NaN };
    expect(nmeaSentences(noPosition)).toEqual(nmeaSentences(lost));
  });
});

describe('nmeaSentences refuses what NMEA cannot carry', () => {
  it.each([
    ['a latitude beyond 90', { latitude: 90.5 }],
    ['a longitude beyond 180', { longitude: -180.1 }],
    ['a negative speed', { speedKmh: -1 }],
    ['a year after 2079', { timeMs: at('2080-01-01T00:00:00Z') }],
    ['a year before 1980', { timeMs: at('1979-12-31T23:59:59Z') }],
    ['100 satellites', { satellites: 100 }],
    ['a non-finite course', { courseDeg: Number.NaN }],
  ])('%s', (_name, change) => {
    expect(() => nmeaSentences({ ...BASE, ...change })).toThrow(RangeError);
  });

  it('a talker that is not two upper-case letters', () => {
    expect(() => nmeaSentences(BASE, { talker: 'gp' })).toThrow(RangeError);
  });
});
