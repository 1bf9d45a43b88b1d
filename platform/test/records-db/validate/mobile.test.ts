import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNPRINTABLE } from '../../../src/records-db/validate/checked.js';
import { checkMobile } from '../../../src/records-db/validate/mobile.js';

describe('checkMobile', () => {
  it.each([
    ['+8613800138000', '+8613800138000'],
    ['13800138000', '+8613800138000'], // a bare Chinese mobile is taken as +86
    ['138 0013 8000', '+8613800138000'],
    ['138-0013-8000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['008613800138000', '+8613800138000'], // 00, the international prefix
    ['+1 (415) 555-2671', '+14155552671'],
    ['+44 7911 123456', '+447911123456'],
    ['+49.151.23456789', '+4915123456789'],
    [' +85291234567 ', '+85291234567'], // Hong Kong: 8 digits after 852
  ])('should take %j as %s', (input, e164) => {
    expect(checkMobile(input)).toEqual({ ok: true, value: e164 });
  });

  it.each([
    ['', 'empty'],
    [' - ', 'empty'],
    ['12800138000', 'country_code'], // 11 digits but 12x is no Chinese mobile prefix
    ['1380013800', 'country_code'], // 10 digits
    ['4155552671', 'country_code'], // a US number without +1: the country is not guessed
    ['02012345678', 'country_code'],
    ['+0123456789', 'country_code'],
    ['+1234567', 'length'], // 7 digits
    ['+1234567890123456', 'length'], // 16 digits: E.164 has at most 15
    ['+86 138 0013 800O', 'character'], // the letter O
    ['+86138001380００', 'character'], // full-width digits
    ['+86\u001b[2J13800138000', 'character'],
    ['++8613800138000', 'character'],
    ['tel:+8613800138000', 'character'],
  ])('should refuse %j as %s', (input, problem) => {
    expect(checkMobile(input)).toMatchObject({ ok: false, problem });
  });

  it('should say how to write a number without a country code', () => {
    const r = checkMobile('4155552671');
    expect(!r.ok && r.reason).toContain('+<country code><number>');
  });

  it('should answer every string with E.164 or a one-line reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (input) => {
        const r = checkMobile(input);
        if (r.ok) expect(r.value).toMatch(/^\+[1-9]\d{7,14}$/);
        else expect(r.reason).not.toMatch(UNPRINTABLE);
      }),
    );
  });
});
