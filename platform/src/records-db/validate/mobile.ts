import { type Checked, quoted } from './checked.js';

/**
 * Mobile numbers, stored in E.164 (`+`, country code, subscriber number; 15 digits at most,
 * ITU-T E.164 §6.1). People type them with spaces, dashes, dots or brackets, and in China
 * usually as the bare 11-digit mobile number (1 then 10 digits, GB/T 13400 numbering), which
 * is taken as +86. Anything else without a country code is refused: guessing one would send
 * an alert to a stranger.
 */

export type MobileProblem = 'empty' | 'character' | 'country_code' | 'length';

/** Digits after the `+`: E.164 allows at most 15; fewer than 8 is no real mobile number. */
export const MIN_E164_DIGITS = 8;
export const MAX_E164_DIGITS = 15;

// Separators people put in numbers; each is dropped.
const separators = /[\s\-.()]/g;
const chineseMobile = /^1[3-9]\d{9}$/;

/** Checks a mobile number as a person typed it; the value is its E.164 form. */
export function checkMobile(input: string): Checked<string, MobileProblem> {
  const compact = input.trim().replace(separators, '');
  if (compact === '') return { ok: false, problem: 'empty', reason: 'mobile number is empty' };
  // 00 is the international prefix most of the world dials instead of +.
  const international = compact.startsWith('+')
    ? compact.slice(1)
    : compact.startsWith('00')
      ? compact.slice(2)
      : undefined;
  const digits = international ?? compact;
  if (!/^\d+$/.test(digits)) {
    return {
      ok: false,
      problem: 'character',
      reason: `mobile number ${quoted(input)} has characters other than digits, spaces, dashes, dots and brackets`,
    };
  }
  if (international === undefined) {
    if (chineseMobile.test(digits)) return { ok: true, value: `+86${digits}` };
    return {
      ok: false,
      problem: 'country_code',
      reason: `mobile number ${quoted(input)} has no country code: write it as +<country code><number>, e.g. +8613800138000 (an 11-digit Chinese mobile starting with 1 is taken as +86)`,
    };
  }
  if (digits.startsWith('0')) {
    return {
      ok: false,
      problem: 'country_code',
      reason: `mobile number ${quoted(input)}: a country code never starts with 0`,
    };
  }
  if (digits.length < MIN_E164_DIGITS || digits.length > MAX_E164_DIGITS) {
    return {
      ok: false,
      problem: 'length',
      reason: `mobile number ${quoted(input)} has ${digits.length} digits after the country prefix; E.164 numbers have ${MIN_E164_DIGITS}-${MAX_E164_DIGITS}`,
    };
  }
  return { ok: true, value: `+${digits}` };
}
