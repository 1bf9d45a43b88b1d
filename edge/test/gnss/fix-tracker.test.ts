import { describe, expect, it } from 'vitest';
import { NmeaError } from '../../src/errors.js';
import { fixReadings } from '../../src/gnss/fix-readings.js';
import { FixTracker, type GnssFix } from '../../src/gnss/fix-tracker.js';
import { iso, isoOf, sentence } from './helpers.js';

/** Feeds sentences (bodies or framed lines); returns every fix, ending the input. */
function track(lines: readonly string[], receivedAtUs?: number, tracker = new FixTracker()) {
  const fixes: GnssFix[] = [];
  for (const line of lines) fixes.push(...tracker.push(sentence(line), receivedAtUs));
  fixes.push(...tracker.end());
  return { fixes, tracker };
}

const RMC_A = 'GPRMC,120000.00,A,4808.9993,N,01135.0798,E,10.0,45.5,070419,,,A';
const GGA_1 = 'GPGGA,120000.00,4808.9993,N,01135.0798,E,1,07,1.2,460.0,M,46.2,M,,';
const GSA_3 = 'GPGSA,A,3,20,13,31,04,05,06,07,,,,,,2.7,1.2,2.3';

describe('FixTracker epochs', () => {
  it('groups the sentences of one UTC time into one fix, emitted when the next time starts', () => {
    const tracker = new FixTracker();
    expect(tracker.push(sentence(RMC_A))).toEqual([]);
    expect(tracker.push(sentence(GGA_1))).toEqual([]);
    expect(tracker.push(sentence(GSA_3))).toEqual([]);
    const fixes = tracker.push(
      sentence('GPRMC,120001.00,A,4808.9993,N,01135.0798,E,10.0,45.5,070419,,,A'),
    );
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({
      timeUs: iso('2019-04-07T12:00:00Z'),
      valid: true,
      fixQuality: 1,
      satellites: 7,
      hdop: 1.2,
      pdop: 2.7,
      vdop: 2.3,
      fixType: 3,
      altitudeM: 460,
      geoidSeparationM: 46.2,
      speedKmh: 18.52,
      courseDeg: 45.5,
      latitude: 48.14998833333333,
      longitude: 11.584663333333333,
      talkers: ['GP'],
    });
    expect(tracker.flush()).toHaveLength(1);
  });

  it('ends an epoch when a sentence repeats for the same talker without a time', () => {
    // Telit HE910 before its first fix: every field empty, the time too.
    const lines = [
      '$GPGGA,,,,,,0,,,,M,,M,,*66',
      '$GPRMC,,V,,,,,,,,,,N*53',
      '$GPVTG,,T,,M,,N,,K,N*2C',
    ];
    const { fixes } = track([...lines, ...lines, ...lines], iso('2024-01-01T00:00:00Z'));
    expect(fixes).toHaveLength(3);
    expect(fixes.every((f) => !f.valid && f.dateSource === 'receipt')).toBe(true);
  });

  it('drops an epoch without any time from a replay, and counts it', () => {
    const { fixes, tracker } = track(['$GPGGA,,,,,,0,,,,M,,M,,*66', '$GPRMC,,V,,,,,,,,,,N*53']);
    expect(fixes).toEqual([]);
    expect(tracker.stats.untimedDropped).toBe(1);
  });

  it('adds a GSA or VTG that comes before any timed sentence to the epoch that follows', () => {
    const { fixes } = track(['GPVTG,000.0,T,357.0,M,000.0,N,0000.1,K,A', GGA_1, GSA_3, RMC_A]);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.valid).toBe(true);
  });

  it('drops sentences of an epoch that arrive after it was flushed', () => {
    const tracker = new FixTracker();
    tracker.push(sentence(RMC_A));
    expect(tracker.flush()).toHaveLength(1);
    expect(tracker.push(sentence(GGA_1))).toEqual([]);
    expect(tracker.push(sentence(GSA_3))).toEqual([]);
    expect(tracker.stats.lateSentences).toBe(2);
    // The next epoch starts normally.
    tracker.push(sentence('GPGGA,120001.00,4808.9993,N,01135.0798,E,1,07,1.2,460.0,M,46.2,M,,'));
    expect(tracker.flush()[0]?.timeUs).toBe(iso('2019-04-07T12:00:01Z'));
  });

  it('ignores an epoch made only of GSA and VTG', () => {
    const { fixes, tracker } = track([GSA_3, 'GPVTG,,T,,M,,N,,K,N']);
    expect(fixes).toEqual([]);
    expect(tracker.stats.epochs).toBe(0);
  });
});

describe('FixTracker bounds', () => {
  const refusal = (tracker: FixTracker, line: string) => {
    try {
      tracker.push(sentence(line));
    } catch (err) {
      expect(err).toBeInstanceOf(NmeaError);
      return err as NmeaError;
    }
    throw new Error(`expected ${line} to be refused`);
  };

  it('refuses a GSA or VTG that a full epoch cannot take, keeping what it holds', () => {
    const tracker = new FixTracker({ maxEpochSentences: 3 });
    for (const line of [RMC_A, GGA_1, GSA_3]) expect(tracker.push(sentence(line))).toEqual([]);
    const error = refusal(tracker, 'GPVTG,303.60,T,,M,0.14,N,0.26,K,A');
    expect(error.details).toMatchObject({ reason: 'epoch-full', limit: 3, sentence: 'GPVTG' });
    expect(error.message).toContain('already holds 3 sentences');
    // A sentence with the epoch's own time is refused too; the epoch is reported unchanged.
    expect(refusal(tracker, GGA_1.replace('GPGGA', 'GLGGA')).details.reason).toBe('epoch-full');
    expect(tracker.flush()).toMatchObject([{ valid: true, speedKmh: 18.52, talkers: ['GP'] }]);
  });

  it('lets a sentence with a new time start the next epoch after a full one', () => {
    const tracker = new FixTracker({ maxEpochSentences: 2 });
    tracker.push(sentence(RMC_A));
    tracker.push(sentence(GGA_1));
    const fixes = tracker.push(sentence(GGA_1.replace('120000.00', '120001.00')));
    expect(fixes.map((f) => isoOf(f.timeUs))).toEqual(['2019-04-07T12:00:00.000Z']);
  });

  it('ends a full epoch without a time when a sentence with a time comes', () => {
    const tracker = new FixTracker({ maxEpochSentences: 2 });
    tracker.push(sentence(GSA_3));
    tracker.push(sentence(GSA_3));
    expect(refusal(tracker, GSA_3).details.reason).toBe('epoch-full');
    // The GSA-only epoch has no position and reports nothing; the RMC starts the next one.
    expect(tracker.push(sentence(RMC_A))).toEqual([]);
    const fixes = tracker.end();
    expect(fixes.map((f) => [isoOf(f.timeUs), f.valid, 'fixType' in f])).toEqual([
      ['2019-04-07T12:00:00.000Z', true, false],
    ]);
  });
});

describe('FixTracker validity', () => {
  it('reports no position when RMC says V, even with latitude and longitude filled in', () => {
    const { fixes } = track([
      'GNRMC,000706.00,V,4404.12938,N,12118.84590,W,,,090624,,,N,V',
      'GNGGA,000706.00,4404.12938,N,12118.84590,W,0,00,99.99,1108.8,M,,M,,',
      'GNGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99,1',
    ]);
    expect(fixes).toHaveLength(1);
    const fix = fixes[0]!;
    expect(fix).toMatchObject({ valid: false, fixQuality: 0, satellites: 0 });
    expect(fix.invalidReason).toBe('GNRMC status V');
    expect(fix.latitude).toBeUndefined();
    expect(fix.altitudeM).toBeUndefined();
    expect(fix.hdop).toBeUndefined();
  });

  it('lets GGA quality 0 deny a fix that RMC calls valid', () => {
    const { fixes } = track([RMC_A, GGA_1.replace(',1,07,', ',0,07,')]);
    expect(fixes[0]).toMatchObject({
      valid: false,
      invalidReason: 'GPGGA quality 0',
      fixQuality: 0,
    });
  });

  it('lets a BeiDou GSA with fix type 1 deny the fix', () => {
    const { fixes } = track([RMC_A, GGA_1, GSA_3, 'BDGSA,A,1,,,,,,,,,,,,,,,']);
    expect(fixes[0]).toMatchObject({ valid: false, invalidReason: 'BDGSA fix type 1' });
  });

  it('lets the RMC mode indicator N deny a fix whose status is A', () => {
    const { fixes } = track([RMC_A.replace(/,A$/, ',N')]);
    expect(fixes[0]).toMatchObject({ valid: false, invalidReason: 'GPRMC mode indicator N' });
  });

  it('does not let the NMEA 4.1 navigational status V deny a fix', () => {
    const { fixes } = track([`${RMC_A},V`, GGA_1]);
    expect(fixes[0]!.valid).toBe(true);
  });

  it('denies a GNS fix whose modes are all N and accepts ANNA', () => {
    const gns = (modes: string) =>
      `GNGNS,074155.799,3114.8770,N,12135.2463,E,${modes},05,1.3,156.9,8.3,,0000`;
    expect(track([gns('NNNN')]).fixes[0]!.valid).toBe(false);
    const valid = track([gns('ANNA')]).fixes[0]!;
    expect(valid).toMatchObject({ valid: true, fixQuality: 1, altitudeM: 156.9, satellites: 5 });
  });

  it('turns a differential mode into GGA quality 2 when there is no GGA', () => {
    const { fixes } = track([RMC_A.replace(/,A$/, ',D')]);
    expect(fixes[0]).toMatchObject({ valid: true, fixQuality: 2 });
  });
});

describe('FixTracker with several talkers', () => {
  const sirf = [
    '$GPGGA,020935.000,4404.1351,N,12118.8556,W,1,08,0.9,1123.9,M,-19.6,M,,0000*5E',
    '$GLGGA,020935.000,4404.1351,N,12118.8556,W,1,02,0.9,1123.9,M,-19.6,M,,0000*48',
    '$GNGSA,A,3,15,17,30,28,01,19,24,11,,,,,1.8,0.9,1.5*2C',
    '$GNGSA,A,3,73,82,,,,,,,,,,,1.8,0.9,1.5*26',
    '$GNRMC,020935.000,A,4404.1351,N,12118.8556,W,0.04,359.11,050219,,,A*6C',
  ];

  it('adds up the satellites of each constellation talker (GP 8 + GL 2)', () => {
    const { fixes } = track(sirf);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({
      valid: true,
      satellites: 10,
      talkers: ['GP', 'GL', 'GN'],
      latitude: 44.068918333333336,
      longitude: -121.31426,
    });
  });

  it('takes the combined GN count when there is one', () => {
    const { fixes } = track([
      ...sirf,
      'GNGGA,020935.000,4404.1351,N,12118.8556,W,1,11,0.9,1123.9,M,-19.6,M,,0000',
    ]);
    expect(fixes[0]!.satellites).toBe(11);
  });

  it('takes the position from a GN GGA before a GP one', () => {
    const { fixes } = track([
      'GPGGA,120000.00,1000.0000,N,02000.0000,E,1,07,1.2,460.0,M,46.2,M,,',
      'GNGGA,120000.00,1030.0000,N,02030.0000,E,1,09,1.0,461.0,M,46.2,M,,',
    ]);
    expect(fixes[0]).toMatchObject({ latitude: 10.5, longitude: 20.5, altitudeM: 461, hdop: 1 });
  });

  it('accepts an epoch from the GLONASS talker alone (CH-4711)', () => {
    const { fixes } = track([
      '$GLGGA,135654.997,5543.0328,N,03724.7197,E,1,04,02.3,165.6,M,14.6,M,,*71',
      '$GLRMC,135654.997,A,5543.0328,N,03724.7197,E,00.00,129.5,051209,,,A*71',
      '$GLGSA,A,2,67,84,83,75,,,,,,,,,02.5,02.3,01.0*1C',
    ]);
    expect(fixes[0]).toMatchObject({
      valid: true,
      timeUs: iso('2009-12-05T13:56:54.997Z'),
      satellites: 4,
      fixType: 2,
      longitude: 37.411995,
    });
  });
});

describe('FixTracker speed and course', () => {
  it('leaves the course out when the receiver leaves it empty', () => {
    const { fixes } = track(['GNRMC,003956.00,A,4552.65403,S,17030.00668,E,0.025,,120419,,,A,V']);
    expect(fixes[0]!.speedKmh).toBe(0.0463);
    expect('courseDeg' in fixes[0]!).toBe(false);
  });

  it('takes speed and course from VTG when there is no RMC', () => {
    const { fixes } = track([GGA_1, 'GPVTG,303.60,T,,M,0.14,N,0.26,K,A']);
    expect(fixes[0]).toMatchObject({ speedKmh: 0.26, courseDeg: 303.6 });
  });
});

describe('FixTracker dates', () => {
  it('holds replayed epochs until a valid RMC dates them, then dates them backwards', () => {
    const { fixes } = track([
      'GNGGA,235959.000,,,,,0,00,,,M,0.0,M,,0000',
      'GNRMC,235959.000,V,,,,,,,250215,,,N',
      'GNGGA,000000.000,,,,,0,00,,,M,0.0,M,,0000',
      'GNGGA,000001.000,3114.8770,N,12135.2463,E,1,05,1.3,156.9,M,8.3,M,,0000',
      'GNRMC,000001.000,A,3114.8770,N,12135.2463,E,0.30,4.94,260215,,,A',
    ]);
    expect(fixes.map((f) => [isoOf(f.timeUs), f.dateSource, f.valid])).toEqual([
      ['2015-02-25T23:59:59.000Z', 'following', false],
      ['2015-02-26T00:00:00.000Z', 'following', false],
      ['2015-02-26T00:00:01.000Z', 'receiver', true],
    ]);
  });

  it('does not believe the dates of void RMCs after a restart (GPS-320FW)', () => {
    const { fixes } = track([
      '$GPRMC,000345.03,A,4808.9993,N,01135.0798,E,000.1,000.0,070419,003.0,E,A*33',
      '$GPRMC,235948.00,V,0000.0000,N,00000.0000,E,,,161206,,,N*45',
      '$GPRMC,000425.00,V,0000.0000,N,00000.0000,E,,,220899,,,N*4D',
    ]);
    expect(fixes.map((f) => isoOf(f.timeUs))).toEqual([
      '2019-04-07T00:03:45.030Z',
      '2019-04-06T23:59:48.000Z',
      '2019-04-07T00:04:25.000Z',
    ]);
  });

  it('dates a log that never has a valid RMC from the fallback at the end', () => {
    const tracker = new FixTracker({ fallbackUs: () => iso('2030-05-05T12:00:00Z') });
    const { fixes } = track([GGA_1, GGA_1.replace('120000.00', '120001.00')], undefined, tracker);
    expect(fixes.map((f) => [isoOf(f.timeUs), f.dateSource])).toEqual([
      ['2030-05-05T12:00:00.000Z', 'fallback'],
      ['2030-05-05T12:00:01.000Z', 'fallback'],
    ]);
  });

  it('releases held epochs when more than maxHeldEpochs wait', () => {
    const tracker = new FixTracker({
      maxHeldEpochs: 2,
      fallbackUs: () => iso('2030-05-05T00:00:00Z'),
    });
    const out: GnssFix[] = [];
    for (const s of ['120000', '120001', '120002', '120003']) {
      out.push(...tracker.push(sentence(GGA_1.replace('120000.00', s))));
    }
    // The third held epoch (closed when 120003 arrived) overflowed the limit of two.
    expect(out.map((f) => f.dateSource)).toEqual(['fallback', 'fallback', 'fallback']);
  });

  it('uses the host date on a live port when the receiver gives none', () => {
    const host = iso('2026-03-01T12:00:00.250Z');
    const { fixes } = track([GGA_1], host);
    expect(fixes[0]).toMatchObject({ timeUs: iso('2026-03-01T12:00:00Z'), dateSource: 'host' });
  });
});

describe('fixReadings', () => {
  it('gives the eight gnss readings of a valid fix, in units the catalogue expects', () => {
    const { fixes } = track([RMC_A, GGA_1, GSA_3]);
    const timeUs = iso('2019-04-07T12:00:00Z');
    expect(fixReadings(fixes[0]!)).toEqual([
      { name: 'gnss.latitude', value: 48.14998833333333, timeUs },
      { name: 'gnss.longitude', value: 11.584663333333333, timeUs },
      { name: 'gnss.altitude', value: 460, timeUs },
      { name: 'gnss.speed', value: 18.52, timeUs },
      { name: 'gnss.course', value: 45.5, timeUs },
      { name: 'gnss.fix_quality', value: 1, timeUs },
      { name: 'gnss.satellites', value: 7, timeUs },
      { name: 'gnss.hdop', value: 1.2, timeUs },
    ]);
  });

  it('gives only the fix quality 0 and the satellite count for an invalid fix', () => {
    const { fixes } = track([
      'GNRMC,000706.00,V,4404.12938,N,12118.84590,W,,,090624,,,N,V',
      'GNGGA,000706.00,4404.12938,N,12118.84590,W,0,00,99.99,1108.8,M,,M,,',
    ]);
    expect(fixReadings(fixes[0]!).map((r) => [r.name, r.value])).toEqual([
      ['gnss.fix_quality', 0],
      ['gnss.satellites', 0],
    ]);
  });
});
