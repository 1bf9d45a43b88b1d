import { describe, expect, it } from 'vitest';
import { NmeaError } from '../../src/errors.js';
import { frameLine, type NmeaFrame } from '../../src/gnss/nmea-frame.js';
import {
  type GgaSentence,
  type GllSentence,
  type GnsSentence,
  type GsaSentence,
  parseSentence,
  type RmcSentence,
  type VtgSentence,
  type ZdaSentence,
} from '../../src/gnss/nmea-sentences.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';

function frame(line: string): NmeaFrame {
  const [f] = frameLine(line);
  if (f instanceof NmeaError) throw f;
  return f!;
}
const parse = <T>(line: string) => parseSentence(frame(line)) as T;
const parseBody = <T>(body: string) => parse<T>(withChecksum(body));
const failure = (body: string): NmeaError => {
  try {
    parseSentence(frame(withChecksum(body)));
  } catch (err) {
    expect(err).toBeInstanceOf(NmeaError);
    return err as NmeaError;
  }
  throw new Error(`expected ${body} to be refused`);
};
const us = (h: number, m: number, s: number, micros = 0) =>
  ((h * 60 + m) * 60 + s) * 1_000_000 + micros;

describe('RMC', () => {
  it('parses every field of an NMEA 4.1 RMC (u-blox ZED-F9P)', () => {
    const rmc = parse<RmcSentence>(
      '$GNRMC,003956.00,A,4552.65403,S,17030.00668,E,0.025,,120419,,,A,V*07',
    );
    expect(rmc).toEqual({
      kind: 'RMC',
      talker: 'GN',
      timeOfDayUs: us(0, 39, 56),
      status: 'A',
      latitude: -(45 + 52.65403 / 60),
      longitude: 170 + 30.00668 / 60,
      speedKmh: 0.0463,
      courseDeg: undefined,
      date: { year: 2019, month: 4, day: 12 },
      magneticVariationDeg: undefined,
      mode: 'A',
      navStatus: 'V',
    });
  });

  it('reads magnetic variation with its side and the differential mode', () => {
    const rmc = parse<RmcSentence>(
      '$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A',
    );
    expect(rmc.magneticVariationDeg).toBe(11.5985);
    expect(rmc.mode).toBe('D');
    expect(rmc.courseDeg).toBe(92.308);
    expect(parseBody<RmcSentence>('GPRMC,120000,A,,,,,,,010120,3.1,W').magneticVariationDeg).toBe(
      -3.1,
    );
  });

  it('converts knots to km/h exactly (1 kn = 1.852 km/h)', () => {
    // 3.252 * 1.852 in floating point is 6.022704000000001.
    expect(parseBody<RmcSentence>('GPRMC,120000,A,,,,,3.252,,010120').speedKmh).toBe(6.022704);
    expect(parseBody<RmcSentence>('GPRMC,120000,A,,,,,000.1,,010120').speedKmh).toBe(0.1852);
  });

  it('keeps every decimal of the time, to the microsecond', () => {
    expect(parseBody<RmcSentence>('GPRMC,105153.408,V,,,,,,,').timeOfDayUs).toBe(
      us(10, 51, 53, 408_000),
    );
    expect(parseBody<RmcSentence>('GPRMC,235959.1234567,V,,,,,,,').timeOfDayUs).toBe(
      us(23, 59, 59, 123_456),
    );
  });

  it('reads an all-empty no-fix RMC as a void status with nothing else', () => {
    const rmc = parse<RmcSentence>('$GPRMC,,V,,,,,,,,,,N*53');
    expect(rmc).toMatchObject({ status: 'V', mode: 'N', timeOfDayUs: undefined });
    expect(rmc.latitude).toBeUndefined();
  });

  it('puts two-digit years 80-99 in the 1900s and 00-79 in the 2000s', () => {
    expect(parseBody<RmcSentence>('GPRMC,000425.00,V,,,,,,,220899').date).toEqual({
      year: 1999,
      month: 8,
      day: 22,
    });
    expect(parseBody<RmcSentence>('GPRMC,000425.00,V,,,,,,,291279').date?.year).toBe(2079);
  });

  it('names the field that is malformed', () => {
    const cases: [string, number][] = [
      ['GPRMC,25xx00,A,,,,,,,', 1],
      ['GPRMC,250000,A,,,,,,,', 1],
      ['GPRMC,120000,X,,,,,,,', 2],
      ['GPRMC,120000,A,48x8.99,N,,,,,', 3],
      ['GPRMC,120000,A,4808.99,Q,,,,,', 4],
      ['GPRMC,120000,A,4860.00,N,,,,,', 3],
      ['GPRMC,120000,A,9100.00,N,,,,,', 3],
      ['GPRMC,120000,A,,,18100.0,E,,,', 5],
      ['GPRMC,120000,A,,,,,-1.0,,', 7],
      [`GPRMC,120000,A,,,,,${'9'.repeat(310)},,`, 7],
      ['GPRMC,120000,A,,,,,,360.5,', 8],
      ['GPRMC,120000,A,,,,,,,010120,180.5,E', 10],
      ['GPRMC,120000,A,,,,,,,310219', 9],
      ['GPRMC,120000,A,,,,,,,1302', 9],
      ['GPRMC,120000,A,,,,,,,010120,,,Z', 12],
      ['GPRMC,120000,A,,,,,,,010120,,,A,Q', 13],
    ];
    for (const [body, field] of cases) {
      const error = failure(body);
      expect(error.details, body).toMatchObject({ reason: 'field', field });
      expect(error.message).toContain(`field ${field}`);
    }
  });

  it('refuses a hemisphere missing after a latitude', () => {
    expect(failure('GPRMC,120000,A,4808.99,,,,,,').details.field).toBe(4);
  });

  it('refuses an RMC that stops before the date', () => {
    expect(failure('GPRMC,235955.00,V,0000.0000,,,N').details.reason).toBe('fields-missing');
  });
});

describe('latitude and longitude', () => {
  it('converts ddmm.mmmm to the double nearest the exact decimal degrees', () => {
    // Correctly rounded values of 41 + 34.49821229/60 and 93 + 45.03351845/60.
    const rmc = parse<RmcSentence>(
      '$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A',
    );
    expect(rmc.latitude).toBe(41.574970204833335);
    expect(rmc.longitude).toBe(-93.75055864083333);
  });

  it('accepts any number of minute decimals, including none', () => {
    expect(parseBody<GgaSentence>('GPGGA,120000,4808,N,01135,E,1,,,,,,').latitude).toBe(
      48 + 8 / 60,
    );
    expect(parseBody<GgaSentence>('GPGGA,120000,4808.,N,01135.5,E,1,,,,,,').longitude).toBe(
      11.591666666666667,
    );
    expect(parseBody<GgaSentence>('GPGGA,120000,0000.0000,S,00000.0000,W,0,,,,,,').latitude).toBe(
      -0,
    );
  });

  it('signs south and west negative', () => {
    const gga = parseBody<GgaSentence>('GPGGA,120000,3000.000,S,06000.000,W,1,,,,,,');
    expect([gga.latitude, gga.longitude]).toEqual([-30, -60]);
  });
});

describe('GGA', () => {
  it('parses fix data, keeping an empty geoid separation empty (Telit HE910)', () => {
    const gga = parse<GgaSentence>(
      '$GPGGA,105153.408,5050.4122,N,00420.8265,E,1,04,2.25,109.0,M,,M,,0000*7E',
    );
    expect(gga).toMatchObject({
      talker: 'GP',
      quality: 1,
      satellites: 4,
      hdop: 2.25,
      altitudeM: 109,
      geoidSeparationM: undefined,
      dgpsStation: '0000',
    });
  });

  it('reads a negative geoid separation and the DGPS age', () => {
    const gga = parse<GgaSentence>(
      '$GNGGA,133900.00,4134.50180323,N,09345.03586581,W,4,19,0.7,280.827,M,-31.442,M,6.0,0002*61',
    );
    expect(gga).toMatchObject({
      quality: 4,
      geoidSeparationM: -31.442,
      dgpsAgeS: 6,
      dgpsStation: '0002',
    });
  });

  it('tolerates a vendor field after the standard ones (SiRF-TriG)', () => {
    const gga = parse<GgaSentence>(
      '$GNGGA,074155.799,3114.8770,N,12135.2463,E,1,05,1.3,156.9,M,8.3,M,,0000,4.9*77',
    );
    expect(gga).toMatchObject({ latitude: 31.24795, satellites: 5, altitudeM: 156.9 });
  });

  it('refuses an altitude too large for a double rather than reading Infinity', () => {
    const error = failure(`GPGGA,120000,,,,,1,,,${'9'.repeat(309)},M,,`);
    expect(error.details).toMatchObject({ reason: 'field', field: 9 });
    expect(error.message).toContain('(altitude)');
    expect(error.message).toContain('is too large');
  });

  it('refuses a quality indicator beyond 8 and an altitude in other units', () => {
    expect(failure('GPGGA,120000,,,,,9,,,,,,').details.field).toBe(6);
    expect(failure('GPGGA,120000,,,,,1,,,100,F,,').details.field).toBe(10);
  });
});

describe('VTG', () => {
  it('parses the NMEA 2.0+ form', () => {
    expect(parse<VtgSentence>('$GPVTG,303.60,T,,M,0.14,N,0.26,K,A*3A')).toEqual({
      kind: 'VTG',
      talker: 'GP',
      courseTrueDeg: 303.6,
      courseMagneticDeg: undefined,
      speedKmh: 0.26,
      mode: 'A',
    });
  });

  it('falls back to knots when the km/h field is empty', () => {
    expect(parseBody<VtgSentence>('GPVTG,10.0,T,,M,1.0,N,,K').speedKmh).toBe(1.852);
  });

  it('parses the legacy form without unit letters', () => {
    expect(parseBody<VtgSentence>('GPVTG,054.7,034.4,005.5,010.2')).toMatchObject({
      courseTrueDeg: 54.7,
      courseMagneticDeg: 34.4,
      speedKmh: 10.2,
    });
  });

  it('refuses a course beyond 360 degrees in either form, and takes 360 itself', () => {
    expect(failure('GPVTG,361.0,T,,M,0.14,N,0.26,K,A').details.field).toBe(1);
    expect(failure('GPVTG,054.7,400.0,005.5,010.2').details.field).toBe(2);
    expect(parseBody<VtgSentence>('GPVTG,360.0,T,,M,0.14,N,0.26,K,A').courseTrueDeg).toBe(360);
  });

  it('refuses unit letters in the wrong place', () => {
    expect(failure('GPVTG,054.7,T,034.4,M,005.5,K,010.2,N').details.field).toBe(6);
  });
});

describe('GSA', () => {
  it('parses fix type, satellite ids, DOPs and the NMEA 4.1 system id', () => {
    const gsa = parse<GsaSentence>('$GNGSA,A,3,82,66,81,,,,,,,,,,1.05,0.64,0.83,2*0C');
    expect(gsa).toEqual({
      kind: 'GSA',
      talker: 'GN',
      selectionMode: 'A',
      fixType: 3,
      satelliteIds: [82, 66, 81],
      pdop: 1.05,
      hdop: 0.64,
      vdop: 0.83,
      systemId: 2,
    });
  });

  it('ignores the non-standard decimal in field 18 of SiRF-TriG BeiDou GSA', () => {
    const gsa = parse<GsaSentence>('$BDGSA,A,3,02,03,04,,,,,,,,,,5.1,1.3,4.9,3.3*2F');
    expect(gsa).toMatchObject({
      talker: 'BD',
      fixType: 3,
      satelliteIds: [2, 3, 4],
      systemId: undefined,
    });
  });

  it('refuses a fix type other than 1, 2 or 3', () => {
    expect(failure('GPGSA,A,4,,,,,,,,,,,,,,,').details.field).toBe(2);
  });
});

describe('GNS', () => {
  it('parses the per-constellation mode letters', () => {
    const gns = parse<GnsSentence>(
      '$GNGNS,074155.799,3114.8770,N,12135.2463,E,ANNA,05,1.3,156.9,8.3,,0000*52',
    );
    expect(gns).toMatchObject({
      talker: 'GN',
      modes: 'ANNA',
      satellites: 5,
      hdop: 1.3,
      altitudeM: 156.9,
      geoidSeparationM: 8.3,
    });
  });

  it('refuses a mode field with letters outside the NMEA set', () => {
    expect(failure('GNGNS,120000,,,,,AX,,,,').details.field).toBe(6);
  });
});

describe('GLL', () => {
  it('parses position, time, status and the NMEA 2.3 mode (u-blox ZED-F9P)', () => {
    expect(parse<GllSentence>('$GNGLL,4552.65403,S,17030.00668,E,003956.00,A,A*6C')).toEqual({
      kind: 'GLL',
      talker: 'GN',
      latitude: -(45 + 52.65403 / 60),
      longitude: 170 + 30.00668 / 60,
      timeOfDayUs: us(0, 39, 56),
      status: 'A',
      mode: 'A',
    });
  });

  it('reads the all-empty no-fix GLL of the Telit HE910 as status V and mode N', () => {
    expect(parse<GllSentence>('$GPGLL,,,,,,V,N*64')).toMatchObject({
      status: 'V',
      mode: 'N',
      timeOfDayUs: undefined,
      latitude: undefined,
    });
  });

  it('parses a GLL without the mode indicator (NMEA 2.0 to 2.2, SiRF)', () => {
    expect(parseBody<GllSentence>('GPGLL,4916.45,N,12311.12,W,225444,A')).toMatchObject({
      status: 'A',
      mode: undefined,
      timeOfDayUs: us(22, 54, 44),
    });
  });

  it('names the field that is malformed', () => {
    const cases: [string, number][] = [
      ['GPGLL,4916.45,X,12311.12,W,225444,A,A', 2],
      ['GPGLL,4916.45,N,12311.12,W,256444,A,A', 5],
      ['GPGLL,4916.45,N,12311.12,W,225444,D,A', 6],
      ['GPGLL,4916.45,N,12311.12,W,225444,A,X', 7],
    ];
    for (const [body, field] of cases) {
      expect(failure(body).details, body).toMatchObject({ reason: 'field', field });
    }
    expect(failure('GPGLL,4916.45,N,12311.12,W').details.reason).toBe('fields-missing');
  });
});

describe('ZDA', () => {
  it('parses time, date and local zone (u-blox ZED-F9P)', () => {
    expect(parse<ZdaSentence>('$GNZDA,003956.00,12,04,2019,00,00*7C')).toEqual({
      kind: 'ZDA',
      talker: 'GN',
      timeOfDayUs: us(0, 39, 56),
      date: { year: 2019, month: 4, day: 12 },
      localZoneHours: 0,
      localZoneMinutes: 0,
    });
  });

  it('leaves empty local zone fields empty (GPS-320FW)', () => {
    expect(parse<ZdaSentence>('$GPZDA,000429.00,22,08,1999,,*69')).toMatchObject({
      date: { year: 1999, month: 8, day: 22 },
      localZoneHours: undefined,
      localZoneMinutes: undefined,
    });
  });

  it('reads signed zone fields as sent, without applying them to the UTC time', () => {
    expect(parseBody<ZdaSentence>('GPZDA,172809.456,12,07,1996,-05,+15')).toMatchObject({
      timeOfDayUs: us(17, 28, 9, 456_000),
      date: { year: 1996, month: 7, day: 12 },
      localZoneHours: -5,
      localZoneMinutes: 15,
    });
    expect(parseBody<ZdaSentence>('GPZDA,120000,01,01,2026,14,45').localZoneHours).toBe(14);
  });

  it('has no date until day, month and year are all filled in', () => {
    expect(parseBody<ZdaSentence>('GPZDA,120000,,,,,').date).toBeUndefined();
    expect(parseBody<ZdaSentence>('GPZDA,120000,12,04,,,').date).toBeUndefined();
    expect(parseBody<ZdaSentence>('GPZDA,120000,12,04,2019').date?.year).toBe(2019);
  });

  it('refuses a ZDA that stops before the year', () => {
    expect(failure('GPZDA,120000,12,04').details.reason).toBe('fields-missing');
  });
});

describe('parseSentence', () => {
  it('ignores sentence types the fix does not use, from any talker', () => {
    for (const line of [
      '$GPGSV,1,1,00,,,,,,,,,,,,,,,,*79',
      '$GNGST,003956.00,235111,,,,2.3,3.5,4.0*46',
      '$PSRFEPE,074150.799,V,,,,,*23',
      '$GYOACC,090624,000653.10,0.004960,-0.001510,0.005386,100,-3.358145,-8.120926,4.427577,100,35,0,100,0*21',
    ]) {
      expect(parseSentence(frame(line)), line).toBeUndefined();
    }
  });
});
