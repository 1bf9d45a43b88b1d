import { type Checked, quoted } from './checked.js';

/**
 * Vehicle identification numbers. ISO 3779 gives the 17-character structure (no I, O or Q:
 * they read as 1 and 0); the check digit in position 9 is mandatory in North America
 * (49 CFR 565.15) and in China (GB 16735, the same transliteration and weights), and it
 * catches most mistyped characters, so every VIN Fleetline stores carries a valid one.
 */

export type VinProblem = 'empty' | 'length' | 'character' | 'check_digit';

export const VIN_LENGTH = 17;

// 49 CFR 565.15 table I: letters to values (I, O and Q never appear).
// biome-ignore format: the table reads as the standard prints it
const letterValues: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

// 49 CFR 565.15 table III: the weight of each position; the check digit's own is 0.
const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Position of the check digit, 1-based as the standards count. */
export const VIN_CHECK_POSITION = 9;

/** The value a VIN character counts for in the check digit; undefined for one not allowed. */
export const vinCharacterValue = (c: string): number | undefined =>
  c.length === 1 && c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : letterValues[c];

/**
 * The check digit (`0`-`9` or `X`) the other characters of `vin` call for; undefined when a
 * character is not allowed. Only the first 17 characters are read.
 */
export function vinCheckDigit(vin: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < VIN_LENGTH; i++) {
    const value = vinCharacterValue(vin[i] ?? '');
    if (value === undefined) return undefined;
    sum += value * (weights[i] as number);
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/**
 * Checks a VIN as a person typed it: surrounding blanks are dropped and letters upper-cased;
 * the value is the canonical VIN.
 */
export function checkVin(input: string): Checked<string, VinProblem> {
  const vin = input.trim().toUpperCase();
  if (vin === '') return { ok: false, problem: 'empty', reason: 'VIN is empty' };
  const chars = [...vin];
  if (chars.length !== VIN_LENGTH) {
    return {
      ok: false,
      problem: 'length',
      reason: `VIN ${quoted(vin)} has ${chars.length} characters, a VIN has ${VIN_LENGTH}`,
    };
  }
  const bad = chars.findIndex((c) => vinCharacterValue(c) === undefined);
  if (bad >= 0) {
    const c = chars[bad] as string;
    const why = 'IOQ'.includes(c) ? ' (VINs never use I, O or Q)' : '';
    return {
      ok: false,
      problem: 'character',
      reason: `VIN ${quoted(vin)}: character ${bad + 1} ${quoted(c)} is not allowed${why}; use 0-9 and A-Z`,
    };
  }
  const expected = vinCheckDigit(vin) as string;
  const actual = vin[VIN_CHECK_POSITION - 1];
  if (actual !== expected) {
    return {
      ok: false,
      problem: 'check_digit',
      reason: `VIN ${quoted(vin)}: check digit (character ${VIN_CHECK_POSITION}) is ${quoted(actual ?? '')}, the other characters give ${quoted(expected)}; a character is probably mistyped`,
    };
  }
  return { ok: true, value: vin };
}

/** `vin` with its check digit put in position 9: for making valid VINs (demo data, tests). */
export function withVinCheckDigit(vin: string): string {
  const digit = vinCheckDigit(vin);
  if (vin.length !== VIN_LENGTH || digit === undefined) {
    throw new RangeError(`${quoted(vin)} is not 17 VIN characters`);
  }
  return `${vin.slice(0, VIN_CHECK_POSITION - 1)}${digit}${vin.slice(VIN_CHECK_POSITION)}`;
}
