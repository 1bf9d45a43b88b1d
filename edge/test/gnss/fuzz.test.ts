import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { NmeaError } from '../../src/errors.js';
import { GnssSerialSource } from '../../src/gnss/gnss-sources.js';
import { NmeaDecoder } from '../../src/gnss/nmea-decoder.js';
import { FIRST_YEAR, LAST_YEAR } from '../../src/gnss/nmea-fields.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';
import type { Reading } from '../../src/signals/reading.js';
import { FakeDevice } from '../serial/fakes.js';

async function openSource() {
  const device = new FakeDevice();
  const source = new GnssSerialSource({
    path: 'fuzz0',
    openPort: device.opener,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
  });
  const errors: NmeaError[] = [];
  source.on('error', (e) => errors.push(e as NmeaError));
  await source.open();
  return { device, source, errors };
}

const VALID = readFileSync(
  join(import.meta.dirname, '../fixtures/nmea/ublox-zed-f9p-nmea.log'),
  'latin1',
)
  .split(/\r?\n/)
  .filter((l) => l.startsWith('$'));

describe('NMEA decoding under fuzzing', () => {
  it('counts every line of random bytes without a $ as one refused line', async () => {
    const next = seededRandom(1);
    const { device, source, errors } = await openSource();
    const n = 500;
    for (let i = 0; i < n; i++) {
      const length = 1 + Math.floor(next() * 120);
      const bytes = Array.from({ length }, () => {
        for (;;) {
          const b = Math.floor(next() * 256);
          if (b !== 0x0a && b !== 0x0d && b !== 0x24) return b;
        }
      });
      expect(() => device.port!.emit('data', Buffer.from([...bytes, 0x0d, 0x0a]))).not.toThrow();
    }
    expect(source.stats).toMatchObject({ lines: n, errors: n, readings: 0 });
    expect(errors.every((e) => e.details.reason === 'no-start')).toBe(true);
    await source.close();
  });

  it('accounts for every candidate sentence in random bytes with $ and *, in random chunks', async () => {
    const next = seededRandom(2);
    const { device, source } = await openSource();
    // Bytes weighted towards the characters that matter to the framing.
    const alphabet = [0x24, 0x2a, 0x2c, 0x0d, 0x0a, 0x00, 0x41, 0x47, 0x50, 0x31, 0x45, 0x20];
    const stream = Buffer.from(
      Array.from({ length: 50_000 }, () =>
        next() < 0.5 ? alphabet[Math.floor(next() * alphabet.length)]! : Math.floor(next() * 256),
      ),
    );
    for (let at = 0; at < stream.length; ) {
      const size = 1 + Math.floor(next() * 300);
      expect(() => device.port!.emit('data', stream.subarray(at, at + size))).not.toThrow();
      at += size;
    }
    await source.close();
    // Independent count: each non-empty line is one candidate if it has no $, else one per $.
    let candidates = 0;
    for (const line of stream.toString('latin1').split(/[\r\n]/)) {
      if (line === '') continue;
      const dollars = line.split('$').length - 1;
      candidates += dollars === 0 ? 1 : dollars;
    }
    // The last line had no terminator when the source closed, so it was never decoded.
    const tail = stream
      .toString('latin1')
      .split(/[\r\n]/)
      .at(-1)!;
    const tailCandidates = tail === '' ? 0 : Math.max(1, tail.split('$').length - 1);
    expect(source.stats.errors + source.nmea.stats.sentences).toBe(candidates - tailCandidates);
    expect(source.stats.errors).toBeGreaterThan(0);
  });

  it('refuses every sentence with one byte changed, as a checksum error', async () => {
    const next = seededRandom(3);
    const { device, source, errors } = await openSource();
    const n = 400;
    for (let i = 0; i < n; i++) {
      const line = VALID[Math.floor(next() * VALID.length)]!;
      const star = line.lastIndexOf('*');
      const at = 1 + Math.floor(next() * (star - 1));
      let replacement: number;
      do replacement = 0x20 + Math.floor(next() * 95);
      while (replacement === line.charCodeAt(at) || [0x24, 0x2a].includes(replacement));
      const mutated = line.slice(0, at) + String.fromCharCode(replacement) + line.slice(at + 1);
      device.feed(`${mutated}\r\n`);
    }
    expect(source.stats.errors).toBe(n);
    expect(errors.every((e) => e.details.reason === 'checksum')).toBe(true);
    expect(source.stats.readings).toBe(0);
    await source.close();
  });

  it('refuses every sentence cut short before its checksum', async () => {
    const next = seededRandom(4);
    const { device, source, errors } = await openSource();
    const n = 300;
    for (let i = 0; i < n; i++) {
      const line = VALID[Math.floor(next() * VALID.length)]!;
      const cut = 1 + Math.floor(next() * (line.length - 2));
      device.feed(`${line.slice(0, cut)}\r\n`);
    }
    expect(source.stats.errors).toBe(n);
    expect(
      errors.every((e) => ['no-checksum', 'checksum'].includes(String(e.details.reason))),
    ).toBe(true);
    await source.close();
  });

  it('still decodes the good sentences between the bad ones', async () => {
    const { device, source } = await openSource();
    const readings: string[] = [];
    source.on('reading', (r) => readings.push(r.name));
    const epoch = VALID.slice(0, 3); // GNRMC, GNVTG, GNGGA of the first epoch
    device.feed(`\u0000\u0007garbage\r\n${epoch.join('\r\n')}\r\n$GNGGA,broken*00\r\n`);
    await source.close();
    expect(readings).toContain('gnss.latitude');
    expect(source.stats.errors).toBe(2);
  });

  it('keeps every reading finite and in range whatever well-framed sentences carry', () => {
    const next = seededRandom(5);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const digits = (n: number) =>
      Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
    // Field contents that probe the formats: empty, long digit runs (past a double), signs,
    // decimals, letters the sentences use, and values lifted from the u-blox capture.
    const bodies = [
      ...VALID.map((l) => l.slice(1, l.lastIndexOf('*'))),
      'GNGNS,074155.799,3114.8770,N,12135.2463,E,ANNA,05,1.3,156.9,8.3,,0000',
      'GPGLL,4808.9993,N,01135.0798,E,000343.03,A,A',
    ].filter((b) => /^[A-Z]{2}(RMC|GGA|GNS|GLL|ZDA|VTG|GSA),/.test(b));
    const real = bodies.flatMap((b) => b.split(',').slice(1));
    const field = (): string =>
      pick([
        () => '',
        () => digits(1 + Math.floor(next() * 12)),
        () => digits(300 + Math.floor(next() * 100)),
        () =>
          `${pick(['', '-', '+'])}${digits(1 + Math.floor(next() * 4))}.${digits(Math.floor(next() * 12))}`,
        () => pick(['A', 'V', 'N', 'E', 'W', 'S', 'M', 'T', 'K', 'D', 'R', 'F', 'P', 'X']),
        () => pick(real),
      ])();
    // A real sentence with one to three fields replaced, or cut short, or lengthened.
    const mutated = (): string => {
      const parts = pick(bodies).split(',');
      for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
        parts[1 + Math.floor(next() * (parts.length - 1))] = field();
      }
      if (next() < 0.1) parts.length = 1 + Math.floor(next() * (parts.length - 1));
      if (next() < 0.1) parts.push(field(), field());
      return parts.join(',');
    };
    const names = new Set([
      'gnss.latitude',
      'gnss.longitude',
      'gnss.altitude',
      'gnss.speed',
      'gnss.course',
      'gnss.fix_quality',
      'gnss.satellites',
      'gnss.hdop',
    ]);
    const reasons = new Set(['field', 'fields-missing', 'epoch-full']);
    const earliest = Date.UTC(FIRST_YEAR, 0, 1) * 1000 - 86_400_000_000;
    const latest = Date.UTC(LAST_YEAR + 1, 0, 1) * 1000 + 86_400_000_000;
    for (const live of [false, true]) {
      const decoder = new NmeaDecoder({ fallbackUs: () => Date.UTC(2026, 0, 1) * 1000 });
      const readings: Reading[] = [];
      let refused = 0;
      const n = 8_000;
      for (let i = 0; i < n; i++) {
        const line = withChecksum(mutated());
        const receivedAtUs = live ? Date.UTC(2026, 0, 1) * 1000 + i * 100_000 : undefined;
        const out = decoder.decode(line, receivedAtUs);
        readings.push(...out.readings);
        for (const error of out.errors) {
          expect(error).toBeInstanceOf(NmeaError);
          expect(reasons.has(String((error as NmeaError).details.reason)), error.message).toBe(
            true,
          );
          refused++;
        }
        if (i % 50 === 49) readings.push(...decoder.flush(receivedAtUs).readings);
      }
      readings.push(...decoder.end().readings);
      expect(decoder.stats.sentences).toBe(n);
      expect(refused).toBeGreaterThan(0);
      expect(readings.length).toBeGreaterThan(0);
      for (const r of readings) {
        expect(names.has(r.name), r.name).toBe(true);
        expect(Number.isFinite(r.value), `${r.name} = ${r.value}`).toBe(true);
        expect(Number.isSafeInteger(r.timeUs), `${r.name} at ${r.timeUs}`).toBe(true);
        expect(r.timeUs).toBeGreaterThanOrEqual(earliest);
        expect(r.timeUs).toBeLessThanOrEqual(latest);
      }
      const values = (name: string) => readings.filter((r) => r.name === name).map((r) => r.value);
      expect(values('gnss.latitude').every((v) => Math.abs(v) <= 90)).toBe(true);
      expect(values('gnss.longitude').every((v) => Math.abs(v) <= 180)).toBe(true);
      expect(values('gnss.course').every((v) => v >= 0 && v <= 360)).toBe(true);
      expect(values('gnss.speed').every((v) => v >= 0)).toBe(true);
    }
  });
});
