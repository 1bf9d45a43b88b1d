import { describe, expect, it } from 'vitest';
import type { NmeaError } from '../../src/errors.js';
import type { GnssFix } from '../../src/gnss/fix-tracker.js';
import { NmeaDecoder } from '../../src/gnss/nmea-decoder.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';
import type { Reading } from '../../src/signals/reading.js';
import { iso, isoOf } from './helpers.js';

/** What a replay falls back to when nothing in it dates an epoch: far from every test date. */
const FALLBACK = iso('2030-05-05T12:00:00Z');

/**
 * Decodes lines as a replay does (no host clock) or as a live port does (`receivedAtUs`);
 * bodies are framed with their checksum, lines starting with `$` are used as they are.
 */
function decode(lines: readonly string[], receivedAtUs?: number) {
  const fixes: GnssFix[] = [];
  const decoder = new NmeaDecoder({ fallbackUs: () => FALLBACK, onFix: (f) => fixes.push(f) });
  const readings: Reading[] = [];
  const errors: NmeaError[] = [];
  for (const line of lines) {
    const out = decoder.decode(line.startsWith('$') ? line : withChecksum(line), receivedAtUs);
    readings.push(...out.readings);
    errors.push(...(out.errors as NmeaError[]));
  }
  readings.push(...decoder.end().readings);
  return { fixes, readings, errors, decoder };
}

const named = (readings: readonly Reading[], name: string) =>
  readings.filter((r) => r.name === name);
const when = (fixes: readonly GnssFix[]) =>
  fixes.map((f) => [isoOf(f.timeUs), f.dateSource, f.valid]);

const gga = (time: string, quality = 1) =>
  `GPGGA,${time},4808.9993,N,01135.0798,E,${quality},07,1.2,460.0,M,46.2,M,,`;
const zda = (time: string, day: string, month: string, year: string, zone = '00,00') =>
  `GPZDA,${time},${day},${month},${year},${zone}`;
const gll = (time: string, status: string, mode?: string) =>
  `GPGLL,4808.9993,N,01135.0798,E,${time},${status}${mode === undefined ? '' : `,${mode}`}`;

describe('NmeaDecoder with ZDA (date and time)', () => {
  it('dates every fix of a receiver that sends only GGA and ZDA', () => {
    const { fixes, readings, errors } = decode([
      gga('100000.00'),
      zda('100000.00', '08', '06', '2025'),
      gga('100001.00'),
      zda('100001.00', '08', '06', '2025'),
      gga('100002.00'),
      zda('100002.00', '08', '06', '2025'),
    ]);
    expect(errors).toEqual([]);
    expect(when(fixes)).toEqual([
      ['2025-06-08T10:00:00.000Z', 'receiver', true],
      ['2025-06-08T10:00:01.000Z', 'receiver', true],
      ['2025-06-08T10:00:02.000Z', 'receiver', true],
    ]);
    expect(named(readings, 'gnss.latitude').map((r) => isoOf(r.timeUs))).toEqual([
      '2025-06-08T10:00:00.000Z',
      '2025-06-08T10:00:01.000Z',
      '2025-06-08T10:00:02.000Z',
    ]);
  });

  it('takes the ZDA date on a live port when it agrees with the host clock', () => {
    const host = iso('2025-06-08T10:00:00.300Z');
    const { fixes } = decode([gga('100000.00'), zda('100000.00', '08', '06', '2025')], host);
    expect(when(fixes)).toEqual([['2025-06-08T10:00:00.000Z', 'receiver', true]]);
  });

  it('replaces a week-rollover ZDA date (1024 weeks back) with the host date on a live port', () => {
    const host = iso('2025-06-08T10:00:00.300Z');
    const { fixes } = decode([gga('100000.00'), zda('100000.00', '23', '10', '2005')], host);
    expect(when(fixes)).toEqual([['2025-06-08T10:00:00.000Z', 'host', true]]);
  });

  it('does not believe the ZDA date of an epoch without a fix (GPS-320FW after its restart)', () => {
    // The receiver reports 1999-08-22 while it has no fix; the first fixed epoch says 2019.
    const { fixes } = decode([
      '$GPGGA,000430.00,0000.0000,N,00000.0000,E,0,00,0.0,,M,,M,,*5A',
      '$GPZDA,000430.00,22,08,1999,,*61',
      gga('000431.00'),
      zda('000431.00', '07', '04', '2019', ','),
    ]);
    expect(when(fixes)).toEqual([
      ['2019-04-07T00:04:30.000Z', 'following', false],
      ['2019-04-07T00:04:31.000Z', 'receiver', true],
    ]);
  });

  it('reads the four-digit year, where RMC has two', () => {
    const { fixes } = decode([gga('120000'), zda('120000', '29', '02', '2024')]);
    expect(when(fixes)).toEqual([['2024-02-29T12:00:00.000Z', 'receiver', true]]);
  });
});

describe('NmeaDecoder across midnight with GGA and ZDA', () => {
  it('moves to the next date with the ZDA of the first epoch after midnight', () => {
    const { fixes } = decode([
      gga('235959.50'),
      zda('235959.50', '31', '12', '2025'),
      gga('000000.50'),
      zda('000000.50', '01', '01', '2026'),
    ]);
    expect(when(fixes)).toEqual([
      ['2025-12-31T23:59:59.500Z', 'receiver', true],
      ['2026-01-01T00:00:00.500Z', 'receiver', true],
    ]);
  });

  it('moves to the next date when the only ZDA came before midnight', () => {
    const { fixes } = decode([
      gga('235959.00'),
      zda('235959.00', '31', '12', '2025'),
      gga('000000.00'),
      gga('000001.00'),
    ]);
    expect(when(fixes)).toEqual([
      ['2025-12-31T23:59:59.000Z', 'receiver', true],
      ['2026-01-01T00:00:00.000Z', 'previous', true],
      ['2026-01-01T00:00:01.000Z', 'previous', true],
    ]);
  });

  it('dates the epochs before midnight back from the first ZDA after it', () => {
    const { fixes } = decode([
      gga('235958.00'),
      gga('235959.00'),
      gga('000000.00'),
      zda('000000.00', '01', '01', '2026'),
    ]);
    expect(when(fixes)).toEqual([
      ['2025-12-31T23:59:58.000Z', 'following', true],
      ['2025-12-31T23:59:59.000Z', 'following', true],
      ['2026-01-01T00:00:00.000Z', 'receiver', true],
    ]);
  });

  it('keeps the dates right when ZDA leads its epoch instead of closing it', () => {
    const { fixes } = decode([
      zda('235959.00', '31', '12', '2025'),
      gga('235959.00'),
      zda('000000.00', '01', '01', '2026'),
      gga('000000.00'),
    ]);
    expect(when(fixes)).toEqual([
      ['2025-12-31T23:59:59.000Z', 'receiver', true],
      ['2026-01-01T00:00:00.000Z', 'receiver', true],
    ]);
  });

  it('takes the ZDA date on a live port whose host clock is still before midnight', () => {
    const host = iso('2025-12-31T23:59:59.900Z');
    const { fixes } = decode([gga('000000.20'), zda('000000.20', '01', '01', '2026')], host);
    expect(when(fixes)).toEqual([['2026-01-01T00:00:00.200Z', 'receiver', true]]);
  });
});

describe('NmeaDecoder refusing a bad ZDA', () => {
  it('refuses a ZDA with a bad checksum and still dates the epoch from the next ZDA', () => {
    const good = withChecksum(zda('120000.00', '08', '06', '2025'));
    const bad = `${good.slice(0, -2)}${good.endsWith('00') ? '01' : '00'}`;
    const { fixes, errors } = decode([
      gga('120000.00'),
      bad,
      gga('120001.00'),
      zda('120001.00', '08', '06', '2025'),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('EDGE_NMEA_INVALID');
    expect(errors[0]!.details).toMatchObject({ reason: 'checksum' });
    expect(errors[0]!.message).toContain('GPZDA');
    expect(when(fixes)).toEqual([
      ['2025-06-08T12:00:00.000Z', 'following', true],
      ['2025-06-08T12:00:01.000Z', 'receiver', true],
    ]);
  });

  const outOfRange: [string, string, number, string][] = [
    ['UTC time', zda('240000.00', '08', '06', '2025'), 1, 'is out of range'],
    ['day 32', zda('120000.00', '32', '06', '2025'), 2, 'is not 01 to 31'],
    ['day 00', zda('120000.00', '00', '06', '2025'), 2, 'is not 01 to 31'],
    ['29 February of a common year', zda('120000.00', '29', '02', '2025'), 2, 'February 2025'],
    ['month 13', zda('120000.00', '08', '13', '2025'), 3, 'is not 01 to 12'],
    ['a two-digit year', zda('120000.00', '08', '06', '25'), 4, 'is not a four-digit year'],
    ['year 1979', zda('120000.00', '08', '06', '1979'), 4, 'is not from 1980 to 2079'],
    ['year 2080', zda('120000.00', '08', '06', '2080'), 4, 'is not from 1980 to 2079'],
    ['local zone 15 h', zda('120000.00', '08', '06', '2025', '15,00'), 5, 'is not -14 to 14'],
    ['local zone 60 min', zda('120000.00', '08', '06', '2025', '01,60'), 6, 'is not -59 to 59'],
    ['a letter in the day', zda('120000.00', '0x', '06', '2025'), 2, 'is not 01 to 31'],
  ];
  for (const [what, body, field, problem] of outOfRange) {
    it(`refuses a ZDA with ${what}, naming field ${field}, and keeps the epoch's fix`, () => {
      const { fixes, errors, decoder } = decode([gga('120000.00'), body]);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.code).toBe('EDGE_NMEA_INVALID');
      expect(errors[0]!.details).toMatchObject({ reason: 'field', field });
      expect(errors[0]!.message).toContain(`GPZDA field ${field}`);
      expect(errors[0]!.message).toContain(problem);
      expect(decoder.stats.refused).toEqual({ field: 1 });
      // The GGA of the epoch is still reported; with no date it takes the fallback day.
      expect(fixes.map((f) => [f.valid, f.latitude])).toEqual([[true, 48.14998833333333]]);
    });
  }

  it('reads a ZDA with empty fields (no date yet) as no date, not as an error', () => {
    const { fixes, errors } = decode([gga('120000.00'), 'GPZDA,120000.00,,,,,']);
    expect(errors).toEqual([]);
    expect(when(fixes)).toEqual([['2030-05-05T12:00:00.000Z', 'fallback', true]]);
  });
});

describe('NmeaDecoder with GLL (position and time)', () => {
  it('reports the positions of a receiver that sends only GLL', () => {
    const host = iso('2025-06-08T10:00:00.300Z');
    const { fixes, readings, errors } = decode(
      [gll('100000.00', 'A', 'A'), gll('100001.00', 'A', 'D'), gll('100002.00', 'A')],
      host,
    );
    expect(errors).toEqual([]);
    expect(when(fixes)).toEqual([
      ['2025-06-08T10:00:00.000Z', 'host', true],
      ['2025-06-08T10:00:01.000Z', 'host', true],
      ['2025-06-08T10:00:02.000Z', 'host', true],
    ]);
    expect(named(readings, 'gnss.latitude').map((r) => r.value)).toEqual([
      48.14998833333333, 48.14998833333333, 48.14998833333333,
    ]);
    expect(named(readings, 'gnss.longitude')).toHaveLength(3);
    // Mode A is an autonomous fix (quality 1), D differential (2); no mode (NMEA 2.0–2.2): 1.
    expect(named(readings, 'gnss.fix_quality').map((r) => r.value)).toEqual([1, 2, 1]);
  });

  it('gives GLL with ZDA a full date and time', () => {
    const { fixes } = decode([gll('100000.00', 'A', 'A'), zda('100000.00', '08', '06', '2025')]);
    expect(when(fixes)).toEqual([['2025-06-08T10:00:00.000Z', 'receiver', true]]);
  });

  it('does not take a GLL with status V as a fix, though its position is filled in', () => {
    const { fixes, readings } = decode([gll('100000.00', 'V', 'N'), gll('100001.00', 'V')]);
    expect(fixes.map((f) => [f.valid, f.invalidReason])).toEqual([
      [false, 'GPGLL status V'],
      [false, 'GPGLL status V'],
    ]);
    expect(named(readings, 'gnss.latitude')).toEqual([]);
    expect(named(readings, 'gnss.fix_quality').map((r) => r.value)).toEqual([0, 0]);
  });

  it('does not take a GLL with mode N as a fix, even with status A', () => {
    const { fixes, readings } = decode([gll('100000.00', 'A', 'N')]);
    expect(fixes.map((f) => [f.valid, f.invalidReason])).toEqual([
      [false, 'GPGLL mode indicator N'],
    ]);
    expect(named(readings, 'gnss.latitude')).toEqual([]);
  });

  it('takes a GLL in dead reckoning (status A, mode E) as a fix of quality 6, as RMC', () => {
    const { fixes } = decode([gll('100000.00', 'A', 'E')]);
    expect(fixes.map((f) => [f.valid, f.fixQuality])).toEqual([[true, 6]]);
  });

  it('lets a GLL with status V deny the fix of a GGA of the same epoch', () => {
    const { fixes } = decode([gga('100000.00'), gll('100000.00', 'V', 'N')]);
    expect(fixes.map((f) => [f.valid, f.invalidReason])).toEqual([[false, 'GPGLL status V']]);
  });

  it('refuses a GLL without time and status (pre-NMEA 2.0) and a bad status letter', () => {
    const { errors, fixes } = decode([
      'GPGLL,4808.9993,N,01135.0798,E',
      gll('100000.00', 'X', 'A'),
      gll('100001.00', 'A', 'Q'),
    ]);
    expect(errors.map((e) => [e.details.reason, e.details.field])).toEqual([
      ['fields-missing', undefined],
      ['field', 6],
      ['field', 7],
    ]);
    expect(fixes).toEqual([]);
  });
});

describe('NmeaDecoder bad-input bounds', () => {
  it('refuses a number too large for a double instead of reporting Infinity', () => {
    const huge = '9'.repeat(400);
    const { errors, readings } = decode([
      `GPGGA,120000,4808.9993,N,01135.0798,E,1,07,1.2,${huge},M,46.2,M,,`,
      `GPRMC,120001,A,4808.9993,N,01135.0798,E,${huge},45.5,070419,,,A`,
    ]);
    expect(errors.map((e) => [e.details.reason, e.details.field])).toEqual([
      ['field', 9],
      ['field', 7],
    ]);
    expect(errors[0]!.message).toContain('is too large');
    expect(readings.every((r) => Number.isFinite(r.value))).toBe(true);
  });

  it('refuses a course over ground beyond 360 degrees', () => {
    const { errors } = decode([
      'GPRMC,120000,A,4808.9993,N,01135.0798,E,1.0,360.1,070419,,,A',
      'GPVTG,361.0,T,,M,0.14,N,0.26,K,A',
    ]);
    expect(errors.map((e) => [e.details.reason, e.details.field])).toEqual([
      ['field', 8],
      ['field', 1],
    ]);
  });

  it('holds at most 64 sentences in one epoch, refusing GSA/VTG beyond that', () => {
    const gsa = 'GPGSA,A,3,20,13,31,04,05,06,07,,,,,,2.7,1.2,2.3';
    const { errors, decoder, fixes } = decode([
      ...Array.from({ length: 10_000 }, () => gsa),
      // A sentence with a time still starts the next epoch.
      gga('120000.00'),
      zda('120000.00', '08', '06', '2025'),
    ]);
    expect(errors).toHaveLength(10_000 - 64);
    expect(errors.every((e) => e.details.reason === 'epoch-full')).toBe(true);
    expect(errors[0]!.message).toContain('GPGSA');
    expect(decoder.stats.refused).toEqual({ 'epoch-full': 10_000 - 64 });
    expect(when(fixes)).toEqual([['2025-06-08T12:00:00.000Z', 'receiver', true]]);
  });
});
