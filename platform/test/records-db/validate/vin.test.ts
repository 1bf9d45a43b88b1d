import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNPRINTABLE } from '../../../src/records-db/validate/checked.js';
import {
  checkVin,
  vinCharacterValue,
  withVinCheckDigit,
} from '../../../src/records-db/validate/vin.js';

const vinChars = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
const vinBody = fc.string({ unit: fc.constantFrom(...vinChars), minLength: 17, maxLength: 17 });

describe('checkVin', () => {
  it.each([
    // 49 CFR 565's worked example, the classic valid VIN (check digit X).
    '1M8GDM9AXKP042788',
    // North American and Japanese VINs from published vehicle records.
    '1HGCM82633A004352',
    'JHMCM56557C404453',
    'JH4KA7561PC008269',
    '2T1BURHE0JC074379',
    // All ones: every value 1, the weights sum to 89, 89 mod 11 = 1.
    '11111111111111111',
  ])('should accept %s, whose check digit is right', (vin) => {
    expect(checkVin(vin)).toEqual({ ok: true, value: vin });
  });

  it('should accept a Chinese VIN (GB 16735 carries the same check digit) made valid', () => {
    // SAIC Volkswagen's WMI (LSV); the check digit the other 16 characters call for is X.
    const vin = withVinCheckDigit('LSVAU2180N2183294');
    expect(vin).toBe('LSVAU218XN2183294');
    expect(checkVin(vin).ok).toBe(true);
  });

  it('should upper-case and trim what a person typed', () => {
    expect(checkVin('  1m8gdm9axkp042788\t')).toEqual({ ok: true, value: '1M8GDM9AXKP042788' });
  });

  it('should refuse a wrong check digit and say which digit the rest calls for', () => {
    const r = checkVin('1M8GDM9A1KP042788');
    expect(r).toMatchObject({ ok: false, problem: 'check_digit' });
    expect(!r.ok && r.reason).toContain('character 9) is "1", the other characters give "X"');
  });

  it('should refuse a mistyped character that the check digit catches', () => {
    // 0 → 8 in position 12: the weighted sum changes by 8·7 = 56, not a multiple of 11.
    expect(checkVin('1M8GDM9AXKP842788')).toMatchObject({ ok: false, problem: 'check_digit' });
  });

  it('should refuse a European VIN that has no check digit (Z as filler in position 9)', () => {
    expect(checkVin('WP0ZZZ99ZTS392124')).toMatchObject({ ok: false, problem: 'check_digit' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['1M8GDM9AXKP04278', 'length'],
    ['1M8GDM9AXKP0427888', 'length'],
    ['1M8GDM9AXKP04278８', 'character'], // a full-width digit
    ['1M8GDM9AXKPO42788', 'character'], // O for 0
    ['IM8GDM9AXKP042788', 'character'], // I for 1
    ['1M8GDM9AXKP04278Q', 'character'],
    ['1M8GDM9AXKP04278-', 'character'],
    ['1M8GDM9AXKP0\n2788', 'character'],
  ])('should refuse %j as %s', (input, problem) => {
    expect(checkVin(input)).toMatchObject({ ok: false, problem });
  });

  it('should name the position of a forbidden letter and why', () => {
    const r = checkVin('1M8GDM9AXKPO42788');
    expect(!r.ok && r.reason).toContain(
      'character 12 "O" is not allowed (VINs never use I, O or Q)',
    );
  });

  it.each([
    `${'A'.repeat(1000)}\u001b[2J`,
    '1M8GD\u001b[2J\u202eAXKP0427', // 17 characters, a terminal escape and an override
  ])(
    'should keep hostile input out of the reason: clipped, one line, controls escaped',
    (input) => {
      const r = checkVin(input);
      const reason = r.ok ? '' : r.reason;
      expect(reason).not.toBe('');
      expect(reason.length).toBeLessThan(200);
      expect(reason).not.toMatch(UNPRINTABLE);
    },
  );

  it('should write the controls of a hostile VIN as escapes', () => {
    const r = checkVin('1M8GD\u001b[2J\u202eAXKP0427');
    expect(!r.ok && r.reason).toContain('"1M8GD\\u001B[2J\\u202EAXKP0427"');
  });

  it('should accept any 17 characters with the computed check digit, and refuse any other digit', () => {
    fc.assert(
      fc.property(vinBody, fc.constantFrom(...'0123456789X'), (body, digit) => {
        const vin = withVinCheckDigit(body);
        expect(checkVin(vin)).toEqual({ ok: true, value: vin });
        const other = `${vin.slice(0, 8)}${digit}${vin.slice(9)}`;
        expect(checkVin(other).ok).toBe(digit === vin[8]);
      }),
    );
  });

  it('should catch every swap of two neighbouring characters whose values differ', () => {
    // Neighbouring weights differ by 1, or by 8 at positions 7 and 8, so a swap changes the
    // sum by (a - b)·1 or (a - b)·8, never a multiple of 11 unless the values are equal (A
    // and J both count 1). Swaps with the check digit itself (position 9) are not covered.
    fc.assert(
      fc.property(vinBody, fc.integer({ min: 0, max: 15 }), (body, i) => {
        fc.pre(i !== 7 && i !== 8);
        const vin = withVinCheckDigit(body);
        const [a, b] = [vin[i] as string, vin[i + 1] as string];
        const swapped = `${vin.slice(0, i)}${b}${a}${vin.slice(i + 2)}`;
        expect(checkVin(swapped).ok).toBe(vinCharacterValue(a) === vinCharacterValue(b));
      }),
    );
  });
});
