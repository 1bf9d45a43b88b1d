import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NmeaError } from '../../src/errors.js';
import type { GnssFix } from '../../src/gnss/fix-tracker.js';
import { GnssReplaySource } from '../../src/gnss/gnss-sources.js';
import { NmeaDecoder } from '../../src/gnss/nmea-decoder.js';
import type { Reading } from '../../src/signals/reading.js';
import { iso, isoOf } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/nmea');

interface Replayed {
  readonly source: GnssReplaySource;
  readonly readings: Reading[];
  readonly fixes: GnssFix[];
  readonly errors: NmeaError[];
}

async function replay(file: string): Promise<Replayed> {
  const fixes: GnssFix[] = [];
  const source = new GnssReplaySource({ file: join(FIXTURES, file), onFix: (f) => fixes.push(f) });
  const readings: Reading[] = [];
  const errors: NmeaError[] = [];
  source.on('reading', (r) => readings.push(r));
  source.on('error', (e) => errors.push(e as NmeaError));
  await source.open();
  await source.done;
  return { source, readings, fixes, errors };
}

const named = (readings: readonly Reading[], name: string) =>
  readings.filter((r) => r.name === name);
const timesOf = (readings: readonly Reading[], name: string) =>
  named(readings, name).map((r) => isoOf(r.timeUs));

/**
 * Expected per file. Derived from the files, not from this parser: lines and refusals by
 * splitting every line at each `$` and checking each piece's `*hh` against the XOR of its
 * body; fixes by grouping RMC/GGA/GNS/GLL by UTC time; cross-checked with SOURCES.md.
 */
const EXPECTED: Record<
  string,
  {
    lines: number;
    valid: number;
    invalid: number;
    untimed: number;
    refused: Record<string, number>;
  }
> = {
  'beidou-bd.log': { lines: 79, valid: 5, invalid: 5, untimed: 0, refused: {} },
  'ch-4711.log': { lines: 75, valid: 7, invalid: 7, untimed: 0, refused: {} },
  'gp-320fw-2019-04-07-coldboot.log': {
    lines: 134,
    valid: 2,
    // 000429 is a no-fix epoch whose RMC and GGA are broken: its GLL (status V) alone says so.
    invalid: 18,
    untimed: 0,
    // 36 wrong checksums (as SOURCES.md says); 8 pieces with no checksum (a NUL-cut RMC,
    // $PLCS, truncated GSV/GSA/VTG, the bare "$GP", and the two halves before a joined
    // sentence); 2 lines with no $ at all.
    refused: { checksum: 36, 'no-checksum': 8, 'no-start': 2 },
  },
  'nmea-fuzzy-cases.log': { lines: 28, valid: 14, invalid: 0, untimed: 0, refused: {} },
  'sirfstarv-nmea.log': { lines: 367, valid: 59, invalid: 0, untimed: 0, refused: {} },
  'telit-he910.log': { lines: 1558, valid: 187, invalid: 0, untimed: 37, refused: {} },
  'ublox-zed-f9p-nmea.log': { lines: 1015, valid: 29, invalid: 0, untimed: 0, refused: {} },
  'unicore-um621.log': { lines: 882, valid: 16, invalid: 4, untimed: 0, refused: {} },
};

describe('NMEA fixtures', () => {
  const results = new Map<string, Replayed>();
  beforeAll(async () => {
    for (const file of Object.keys(EXPECTED)) results.set(file, await replay(file));
  });
  const result = (file: string) => results.get(file)!;

  it('covers every capture in the fixture folder', () => {
    const logs = readdirSync(FIXTURES).filter((f) => f.endsWith('.log'));
    expect(logs.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('decodes every line of every capture without throwing', () => {
    for (const file of Object.keys(EXPECTED)) {
      const decoder = new NmeaDecoder({ fallbackUs: () => 0 });
      const text = readFileSync(join(FIXTURES, file), 'latin1');
      for (const line of text.split(/[\r\n]+/)) {
        if (line === '' || line.startsWith('#')) continue;
        expect(() => decoder.decode(line), `${file}: ${line}`).not.toThrow();
      }
      expect(() => decoder.end()).not.toThrow();
    }
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`finds ${expected.valid} valid and ${expected.invalid} invalid fixes in ${file}`, () => {
      const { source, fixes, readings } = result(file);
      expect(fixes.filter((f) => f.valid)).toHaveLength(expected.valid);
      expect(fixes.filter((f) => !f.valid)).toHaveLength(expected.invalid);
      expect(named(readings, 'gnss.latitude')).toHaveLength(expected.valid);
      expect(named(readings, 'gnss.longitude')).toHaveLength(expected.valid);
      expect(named(readings, 'gnss.fix_quality')).toHaveLength(expected.valid + expected.invalid);
      expect(source.nmea.tracker.stats.untimedDropped).toBe(expected.untimed);
    });

    it(`refuses exactly the broken sentences of ${file}`, () => {
      const { source, errors } = result(file);
      const total = Object.values(expected.refused).reduce((a, b) => a + b, 0);
      expect(source.stats.lines).toBe(expected.lines);
      expect(source.stats.errors).toBe(total);
      expect(errors).toHaveLength(total);
      expect(source.nmea.stats.refused).toEqual(expected.refused);
      expect(errors.every((e) => e.code === 'EDGE_NMEA_INVALID')).toBe(true);
    });
  }

  it('never reports a position while the fix is lost in unicore-um621 (filled-in lat/lon, V/0)', () => {
    const { readings } = result('unicore-um621.log');
    const lost = ['06', '07', '08', '09'].map((s) => `2024-06-09T00:07:${s}.000Z`);
    expect(
      timesOf(readings, 'gnss.fix_quality').filter(
        (_, i) => named(readings, 'gnss.fix_quality')[i]!.value === 0,
      ),
    ).toEqual(lost);
    const positionTimes = timesOf(readings, 'gnss.latitude');
    for (const t of lost) expect(positionTimes).not.toContain(t);
    for (const name of ['gnss.altitude', 'gnss.speed', 'gnss.hdop']) {
      for (const t of lost) expect(timesOf(readings, name)).not.toContain(t);
    }
    // Around the gap: the last fix before it, and the first after it, are reported.
    expect(positionTimes).toContain('2024-06-09T00:07:05.000Z');
    expect(positionTimes).toContain('2024-06-09T00:07:10.000Z');
    const before = named(readings, 'gnss.latitude').find(
      (r) => isoOf(r.timeUs) === '2024-06-09T00:07:05.000Z',
    );
    expect(before?.value).toBe(44.068823);
  });

  it('never reports a position after ch-4711 loses lock, though it keeps sending one', () => {
    const { readings } = result('ch-4711.log');
    const held = ['51', '52', '53', '54', '55', '56', '57'].map(
      (s) => `2009-12-05T13:56:${s}.997Z`,
    );
    const lost = [
      '2009-12-05T13:56:58.997Z',
      '2009-12-05T13:56:59.997Z',
      ...['00', '01', '02', '03', '04'].map((s) => `2009-12-05T13:57:${s}.997Z`),
    ];
    expect(timesOf(readings, 'gnss.latitude')).toEqual(held);
    const zero = named(readings, 'gnss.fix_quality').filter((r) => r.value === 0);
    expect(zero.map((r) => isoOf(r.timeUs))).toEqual(lost);
    // The GLONASS-only epoch (GLRMC/GLGGA/GLGSA) is one of the valid fixes.
    const gl = named(readings, 'gnss.longitude').find(
      (r) => isoOf(r.timeUs) === '2009-12-05T13:56:54.997Z',
    );
    expect(gl?.value).toBe(37.411995);
  });

  it('never reports a position in the no-fix epochs at the start of beidou-bd', () => {
    const { readings, fixes } = result('beidou-bd.log');
    const lost = ['50', '51', '52', '53', '54'].map((s) => `2015-02-25T07:41:${s}.799Z`);
    const held = ['55', '56', '57', '58', '59'].map((s) => `2015-02-25T07:41:${s}.799Z`);
    expect(timesOf(readings, 'gnss.latitude')).toEqual(held);
    expect(fixes.filter((f) => !f.valid).map((f) => isoOf(f.timeUs))).toEqual(lost);
    // BeiDou (BD talker) GSA says 3D in the valid epochs; the GNS mode is ANNA.
    expect(fixes.filter((f) => f.valid).every((f) => f.fixType === 3)).toBe(true);
    expect(named(readings, 'gnss.latitude')[0]!.value).toBe(31.24795);
  });

  it('reports no position from the all-empty start of telit-he910, then 187 fixes', () => {
    const { readings } = result('telit-he910.log');
    expect(named(readings, 'gnss.fix_quality').every((r) => r.value === 1)).toBe(true);
    const lat = named(readings, 'gnss.latitude');
    expect(isoOf(lat[0]!.timeUs)).toBe('2019-03-12T10:51:53.710Z');
    expect(lat[0]!.value).toBe(50.840203333333335);
    // The receiver switches from .71 to .408 fractions: the second epoch is earlier.
    expect(isoOf(lat[1]!.timeUs)).toBe('2019-03-12T10:51:53.408Z');
  });

  it('reports only the two fixes before the restart of gp-320fw, never the 0,0 placeholders', () => {
    const { readings, fixes } = result('gp-320fw-2019-04-07-coldboot.log');
    expect(timesOf(readings, 'gnss.latitude')).toEqual([
      '2019-04-07T00:03:43.030Z',
      '2019-04-07T00:03:45.030Z',
    ]);
    expect(named(readings, 'gnss.latitude').map((r) => r.value)).toEqual([
      48.14998833333333, 48.14998833333333,
    ]);
    expect(named(readings, 'gnss.longitude').map((r) => r.value)).toEqual([
      11.584663333333333, 11.584663333333333,
    ]);
    // None of the week-rollover dates (2006, 2010, 1999) makes it into a timestamp.
    const years = new Set(fixes.map((f) => new Date(f.timeUs / 1000).getUTCFullYear()));
    expect([...years]).toEqual([2019]);
  });

  it('gives the GLONASS talker its share of the satellites in every sirfstarv epoch', () => {
    const { readings } = result('sirfstarv-nmea.log');
    const text = readFileSync(join(FIXTURES, 'sirfstarv-nmea.log'), 'latin1');
    const used = new Map<string, number>();
    for (const m of text.matchAll(/^\$G[PL]GGA,(\d{6}\.\d{3}),(?:[^,]*,){5}(\d+),/gm)) {
      used.set(m[1]!, (used.get(m[1]!) ?? 0) + Number(m[2]));
    }
    expect(used.size).toBe(59);
    const sats = named(readings, 'gnss.satellites');
    expect(sats.map((r) => r.value)).toEqual([...used.values()]);
    expect(sats[0]!.value).toBe(10);
  });

  it('reports no course for ublox-zed-f9p, whose RMC course field is always empty', () => {
    const { readings, source } = result('ublox-zed-f9p-nmea.log');
    expect(named(readings, 'gnss.course')).toEqual([]);
    expect(named(readings, 'gnss.speed')).toHaveLength(29);
    expect(named(readings, 'gnss.satellites').every((r) => r.value === 12)).toBe(true);
    // GSV from GP, GL, GA and GB (BeiDou), plus GST and GBS: framed, then ignored.
    expect(source.nmea.stats.ignored).toBe(4 * 174 + 2 * 29);
    expect(named(readings, 'gnss.latitude')[0]!.value).toBe(-45.877567166666665);
  });

  it('converts the 8-decimal positions of nmea-fuzzy-cases exactly', () => {
    const { readings, fixes } = result('nmea-fuzzy-cases.log');
    // [talker, time, lat, lon, altitude m, speed km/h, course, quality, satellites, hdop];
    // lat/lon/speed are the correctly rounded values of the exact decimal arithmetic.
    const table: [
      string,
      string,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ][] = [
      [
        'GP',
        '2020-03-18T13:28:20.600Z',
        41.574970204833335,
        -93.75055864083333,
        278.02,
        6.022704,
        92.308,
        2,
        9,
        1.0,
      ],
      [
        'GP',
        '2020-03-18T13:28:20.700Z',
        41.5749704155,
        -93.75055786383334,
        277.995,
        5.591188,
        89.298,
        2,
        9,
        1.0,
      ],
      [
        'GP',
        '2020-03-18T13:28:21.500Z',
        41.5749724555,
        -93.75055592816666,
        278.655,
        1.783476,
        69.197,
        2,
        9,
        1.0,
      ],
      [
        'GP',
        '2020-03-18T13:28:22.100Z',
        41.574977575666665,
        -93.7505526795,
        278.799,
        3.50954,
        8.248,
        2,
        9,
        1.0,
      ],
      [
        'GP',
        '2020-03-18T13:28:23.300Z',
        41.5749876025,
        -93.750569303,
        278.845,
        3.483612,
        281.754,
        2,
        9,
        1.0,
      ],
      [
        'GP',
        '2020-03-18T13:28:26.200Z',
        41.5749922525,
        -93.7505802465,
        280.213,
        1.024156,
        333.728,
        2,
        9,
        1.0,
      ],
      [
        'GN',
        '2020-03-18T13:28:27.200Z',
        41.5749902065,
        -93.75058263083334,
        280.34,
        0.892664,
        33.532,
        2,
        10,
        0.9,
      ],
      [
        'GN',
        '2020-03-18T13:28:27.600Z',
        41.5749908415,
        -93.750583899,
        280.181,
        1.427892,
        12.921,
        2,
        10,
        0.9,
      ],
      [
        'GN',
        '2020-03-18T13:28:27.800Z',
        41.5749910155,
        -93.7505831545,
        280.136,
        1.672356,
        26.807,
        2,
        10,
        0.9,
      ],
      [
        'GP',
        '2020-03-18T13:28:29.900Z',
        41.5749918275,
        -93.7505761525,
        279.275,
        0.566712,
        242.975,
        2,
        9,
        1.0,
      ],
      [
        'GN',
        '2020-03-18T13:39:00.000Z',
        41.57503005383333,
        -93.7505977635,
        280.827,
        0.014816,
        0,
        4,
        19,
        0.7,
      ],
      [
        'GN',
        '2020-03-18T13:39:00.100Z',
        41.5750300405,
        -93.7505977685,
        280.828,
        0.00926,
        0,
        4,
        19,
        0.7,
      ],
      [
        'GN',
        '2020-03-18T13:39:00.700Z',
        41.5750300455,
        -93.75059780066667,
        280.83,
        0.007408,
        0,
        4,
        19,
        0.7,
      ],
      [
        'GN',
        '2020-03-18T13:39:00.900Z',
        41.5750300485,
        -93.75059780966667,
        280.833,
        0.011112,
        0,
        4,
        19,
        0.7,
      ],
    ];
    expect(fixes.map((f) => [f.talkers[0], isoOf(f.timeUs)])).toEqual(
      table.map((row) => [row[0], row[1]]),
    );
    const value = (name: string, time: string) =>
      readings.find((r) => r.name === name && r.timeUs === iso(time))?.value;
    for (const [, time, lat, lon, alt, speed, course, quality, sats, hdop] of table) {
      expect(value('gnss.latitude', time), time).toBe(lat);
      expect(value('gnss.longitude', time), time).toBe(lon);
      expect(value('gnss.altitude', time), time).toBe(alt);
      expect(value('gnss.speed', time), time).toBe(speed);
      expect(value('gnss.course', time), time).toBe(course);
      expect(value('gnss.fix_quality', time), time).toBe(quality);
      expect(value('gnss.satellites', time), time).toBe(sats);
      expect(value('gnss.hdop', time), time).toBe(hdop);
    }
  });

  /**
   * The lines of a capture whose sentence type is in `types` (any talker), decoded as a replay
   * with a fallback date far from the capture's, so only the capture itself can date them.
   */
  function only(file: string, types: readonly string[]) {
    const text = readFileSync(join(FIXTURES, file), 'latin1');
    const fixes: GnssFix[] = [];
    const decoder = new NmeaDecoder({
      fallbackUs: () => iso('2030-05-05T12:00:00Z'),
      onFix: (f) => fixes.push(f),
    });
    const readings: Reading[] = [];
    for (const line of text.split(/\r?\n/)) {
      if (!types.includes(line.slice(3, 6))) continue;
      readings.push(...decoder.decode(line).readings);
    }
    readings.push(...decoder.end().readings);
    return { fixes, readings };
  }

  it('dates ublox-zed-f9p from its ZDA alone when the RMC lines are taken out (GGA + ZDA)', () => {
    const full = result('ublox-zed-f9p-nmea.log');
    const { fixes, readings } = only('ublox-zed-f9p-nmea.log', ['GGA', 'ZDA']);
    expect(fixes).toHaveLength(29);
    expect(fixes.every((f) => f.valid && f.dateSource === 'receiver')).toBe(true);
    expect(timesOf(readings, 'gnss.latitude')).toEqual(timesOf(full.readings, 'gnss.latitude'));
    expect(isoOf(fixes[0]!.timeUs)).toBe('2019-04-12T00:39:56.000Z');
  });

  it('reports every ublox-zed-f9p position from GLL and ZDA alone', () => {
    const full = result('ublox-zed-f9p-nmea.log');
    const { fixes, readings } = only('ublox-zed-f9p-nmea.log', ['GLL', 'ZDA']);
    expect(fixes.every((f) => f.valid && f.dateSource === 'receiver')).toBe(true);
    for (const name of ['gnss.latitude', 'gnss.longitude']) {
      expect(named(readings, name)).toEqual(named(full.readings, name));
    }
  });

  it('reports the 187 telit-he910 positions from its GLL alone, and none before the fix', () => {
    const full = result('telit-he910.log');
    const { fixes, readings } = only('telit-he910.log', ['GLL']);
    // 37 no-fix epochs with an empty GLL (`$GPGLL,,,,,,V,N`) have no time: dropped in a replay.
    expect(fixes.filter((f) => f.valid)).toHaveLength(187);
    expect(fixes.filter((f) => !f.valid)).toHaveLength(0);
    expect(named(readings, 'gnss.latitude').map((r) => r.value)).toEqual(
      named(full.readings, 'gnss.latitude').map((r) => r.value),
    );
  });

  it('never takes the 1999 ZDA date of gp-320fw, sent while it has no fix', () => {
    const { fixes } = only('gp-320fw-2019-04-07-coldboot.log', ['GGA', 'GLL', 'ZDA']);
    const years = new Set(fixes.map((f) => new Date(f.timeUs / 1000).getUTCFullYear()));
    expect([...years]).toEqual([2030]);
    expect(fixes.filter((f) => f.valid)).toHaveLength(2);
  });

  it('stamps readings with the dates in the captures, whatever the host clock says', () => {
    const firstDay = (file: string) => isoOf(result(file).readings[0]!.timeUs).slice(0, 10);
    expect(firstDay('ch-4711.log')).toBe('2009-12-05');
    expect(firstDay('beidou-bd.log')).toBe('2015-02-25');
    expect(firstDay('sirfstarv-nmea.log')).toBe('2019-02-05');
    expect(firstDay('ublox-zed-f9p-nmea.log')).toBe('2019-04-12');
    expect(firstDay('unicore-um621.log')).toBe('2024-06-09');
  });
});
