import { describe, expect, it } from 'vitest';
import { NmeaError } from '../../src/errors.js';
import { frameLine, type NmeaFrame } from '../../src/gnss/nmea-frame.js';
import { withChecksum, xorChecksum } from '../../src/serial/xor-checksum.js';

const frames = (line: string) => frameLine(line);
const only = (line: string): NmeaFrame => {
  const [first, ...rest] = frameLine(line);
  expect(rest).toEqual([]);
  if (first instanceof NmeaError) throw first;
  return first!;
};
const refusal = (line: string) => {
  const [first] = frameLine(line);
  expect(first).toBeInstanceOf(NmeaError);
  return first as NmeaError;
};

describe('NMEA checksum', () => {
  it('is the XOR of the characters between $ and *', () => {
    // The textbook GGA and a no-fix GSA from telit-he910.log, with their published checksums.
    expect(xorChecksum('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')).toBe(0x47);
    expect(xorChecksum('GPGSA,A,1,,,,,,,,,,,,,,,')).toBe(0x1e);
  });
});

describe('frameLine', () => {
  it('frames a sentence into talker, type and fields numbered from 1', () => {
    const frame = only('$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47');
    expect(frame.talker).toBe('GP');
    expect(frame.type).toBe('GGA');
    expect(frame.fields[0]).toBe('123519');
    expect(frame.fields).toHaveLength(14);
  });

  it('accepts any two-letter talker', () => {
    for (const talker of ['GP', 'GN', 'GL', 'GA', 'GB', 'BD', 'GQ', 'GI']) {
      expect(only(withChecksum(`${talker}GSA,A,1,,,,,,,,,,,,,,,`)).talker).toBe(talker);
    }
  });

  it('frames proprietary sentences with the P talker', () => {
    const frame = only('$PSRF151,3,1833,28692,0x7EFFFFFF*15');
    expect(frame).toMatchObject({ talker: 'P', type: 'SRF151' });
  });

  it('accepts lower-case checksum digits, CR, and trailing blanks', () => {
    const line = withChecksum('GPGSA,A,1,,,,,,,,,,,,,,,')
      .toLowerCase()
      .replace('gpgsa,a', 'GPGSA,A');
    expect(only(`${line}  \r`).type).toBe('GSA');
  });

  it('skips a leading space or junk before the $', () => {
    expect(
      only(' $GNRMC,074157.799,A,3114.8902,N,12135.2443,E,0.32,4.94,250215,,,A*7F').talker,
    ).toBe('GN');
    expect(only('\u0000\u00ffxx$GPGSA,A,1,,,,,,,,,,,,,,,*1E').type).toBe('GSA');
  });

  it('splits sentences run together without a line break', () => {
    const line =
      '$GPGSA,A,1,,,,,,,,,,,,,,,*1E$GPRMC,235949.00,V,0000.0000,N,00000.0000,E,,,161206,,,N*44';
    const out = frames(line);
    expect(out.map((f) => (f instanceof NmeaError ? 'error' : f.type))).toEqual(['GSA', 'RMC']);
  });

  it('refuses each broken part of a run-together line separately', () => {
    const out = frames('$GPGSA,A,1,,$GPRMC,000425.00,V,0000.0000,N,00000.0000,E,,,220899,,,N*4D');
    expect(out).toHaveLength(2);
    expect((out[0] as NmeaError).details.reason).toBe('no-checksum');
    expect((out[1] as NmeaFrame).type).toBe('RMC');
  });

  it('refuses a bad checksum, saying what was expected and what was found', () => {
    const error = refusal('$GPGSA,A,1,,,,,,,,,,,,,,,*1F');
    expect(error.code).toBe('EDGE_NMEA_INVALID');
    expect(error.details).toMatchObject({ reason: 'checksum', expected: '1E', got: '1F' });
    expect(error.message).toContain('expected *1E (computed), got *1F');
  });

  it('refuses a sentence without a checksum', () => {
    for (const line of ['$GPVTG,,T,,M,2C', '$PLCS,REV,PLN012054S07,070312,145743', '$GP']) {
      expect(refusal(line).details.reason).toBe('no-checksum');
    }
  });

  it('refuses a sentence cut off by NUL bytes', () => {
    const error = refusal(`$GPRMC,000346.03,A,4808${'\u0000'.repeat(12)}${' '.repeat(18)}`);
    expect(error.details.reason).toBe('no-checksum');
  });

  it('refuses NUL and control characters even under a matching checksum', () => {
    const error = refusal(withChecksum('GPGSA,A,1\u0000,,,,,,,,,,,,,,'));
    expect(error.details.reason).toBe('characters');
    expect(error.message).toContain('0x00');
  });

  it('refuses a line without any $', () => {
    const error = refusal(',,,,,,,,,,,,,*1E');
    expect(error.details.reason).toBe('no-start');
  });

  it('refuses an address that is not a talker and a type', () => {
    expect(refusal(withChecksum('G,1,2')).details.reason).toBe('address');
    expect(refusal(withChecksum('gpgga,1')).details.reason).toBe('address');
    expect(refusal(withChecksum('')).details.reason).toBe('address');
  });

  it('checks the checksum before the characters, as a broken frame shows first as a bad sum', () => {
    // From gp-320fw: a GSA with a stray "*1E0," inside, closed by another checksum.
    expect(refusal('$GPGSA,A,1,,,,,,,,,,,,,,,*1E0,*4E').details.reason).toBe('checksum');
  });
});
