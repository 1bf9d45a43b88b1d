import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoted, UNPRINTABLE } from '../../../src/records-db/validate/checked.js';
import {
  checkStoreCode,
  checkText,
  checkUsername,
} from '../../../src/records-db/validate/input.js';

describe('checkText', () => {
  const rules = { maxLength: 10 };

  it('should trim and NFC-normalise a name', () => {
    // e + combining acute, as some keyboards type it, becomes the one character é.
    expect(checkText('name', '  Ame\u0301lie ', rules)).toEqual({ ok: true, value: 'Amélie' });
    expect(checkText('name', '广州北店', rules)).toEqual({ ok: true, value: '广州北店' });
  });

  it('should count characters, not UTF-16 units', () => {
    expect(checkText('name', '🚗'.repeat(10), rules).ok).toBe(true);
    expect(checkText('name', '🚗'.repeat(11), rules)).toMatchObject({
      ok: false,
      problem: 'too_long',
      reason: 'name has 11 characters, at most 10 are accepted',
    });
  });

  it('should refuse an empty name unless blank is allowed', () => {
    expect(checkText('store name', '  ', rules)).toMatchObject({
      ok: false,
      problem: 'empty',
      reason: 'store name is empty',
    });
    expect(checkText('plate', '  ', { ...rules, allowEmpty: true })).toEqual({
      ok: true,
      value: '',
    });
  });

  it.each([
    ['a\nb', 'U+000A'],
    ['a\u0000b', 'U+0000'],
    ['\u001b[31mred', 'U+001B'],
    ['a\u0085b', 'U+0085'],
    ['abc\u202etxt.exe', 'U+202E'],
    ['a\u2066b', 'U+2066'],
    ['a\u2028b', 'U+2028'],
    ['a\u007fb', 'U+007F'],
  ])('should refuse %j naming the control character %s', (input, name) => {
    const r = checkText('owner name', input, rules);
    expect(r).toMatchObject({ ok: false, problem: 'control_character' });
    expect(!r.ok && r.reason).toContain(`owner name "`);
    expect(!r.ok && r.reason).toContain(`control character ${name}`);
    expect(!r.ok && r.reason).not.toMatch(UNPRINTABLE);
  });

  it('should accept printable text of any script, emoji sequences included', () => {
    for (const name of ['Zoë', 'Ольга', 'محمد', '김민준', '👩‍🔧 Ana', 'O’Brien & Sons']) {
      expect(checkText('name', name, { maxLength: 40 }).ok).toBe(true);
    }
  });

  it('should never let a control character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (input) => {
        const r = checkText('name', input, { maxLength: 30 });
        if (r.ok) expect(r.value).not.toMatch(UNPRINTABLE);
        else expect(r.reason).not.toMatch(UNPRINTABLE);
      }),
    );
  });
});

describe('checkStoreCode and checkUsername', () => {
  it('should accept the narrow alphabets', () => {
    expect(checkStoreCode(' north ')).toEqual({ ok: true, value: 'north' });
    expect(checkStoreCode('GZ-01_a')).toEqual({ ok: true, value: 'GZ-01_a' });
    expect(checkUsername('li.wei@demo')).toEqual({ ok: true, value: 'li.wei@demo' });
  });

  it.each(['-north', 'no rth', '北店', 'a'.repeat(33), 'x;drop'])(
    'should refuse the store code %j',
    (code) => {
      expect(checkStoreCode(code)).toMatchObject({ ok: false, problem: 'format' });
    },
  );

  it.each(['13800138000', '+8613800138000', 'a', '_admin', 'a b', 'a'.repeat(65)])(
    'should refuse the username %j (a mobile number, too short, or not the alphabet)',
    (name) => {
      expect(checkUsername(name)).toMatchObject({ ok: false, problem: 'format' });
    },
  );
});

describe('quoted', () => {
  it('should clip long text and escape quotes, backslashes and controls', () => {
    expect(quoted('a"b\\c\u001b')).toBe('"a\\"b\\\\c\\u001B"');
    expect(quoted('x'.repeat(50), 5)).toBe('"xxxxx…"');
  });
});
