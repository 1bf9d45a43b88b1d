import { type Checked, codePointName, quoted, UNPRINTABLE } from './checked.js';

/**
 * Free text people give records: names of organisations, stores, people, vehicle makes.
 * It ends up in tables, spreadsheets, push messages and logs, so it is one line of printable
 * text: nothing of checked.ts's UNPRINTABLE. It is stored NFC-normalised, so the same name
 * typed on two keyboards is the same string.
 */

export type TextProblem = 'empty' | 'too_long' | 'control_character';

export interface TextRules {
  /** Longest accepted, in characters (code points). */
  readonly maxLength: number;
  /** Accept the empty string (an optional field given as blank). */
  readonly allowEmpty?: boolean;
}

/** Checks `input` as the field `field` (named in the reason); the value is trimmed and NFC. */
export function checkText(
  field: string,
  input: string,
  rules: TextRules,
): Checked<string, TextProblem> {
  const text = input.trim().normalize('NFC');
  if (text === '' && !rules.allowEmpty) {
    return { ok: false, problem: 'empty', reason: `${field} is empty` };
  }
  const bad = UNPRINTABLE.exec(text);
  if (bad) {
    return {
      ok: false,
      problem: 'control_character',
      reason: `${field} ${quoted(text)} contains the control character ${codePointName(bad[0])}; use one line of printable text`,
    };
  }
  const length = [...text].length;
  if (length > rules.maxLength) {
    return {
      ok: false,
      problem: 'too_long',
      reason: `${field} has ${length} characters, at most ${rules.maxLength} are accepted`,
    };
  }
  return { ok: true, value: text };
}

/** Longest names the records take: long enough for any real one, short enough for a table. */
export const nameLimits = {
  organisation: 120,
  store: 120,
  person: 80,
  storeCode: 32,
  plate: 16,
  make: 40,
  model: 60,
  username: 64,
} as const;

export type CodeProblem = 'empty' | 'format';

/**
 * A store code: what people type in a command and a spreadsheet's store column, so a narrow
 * alphabet (letters, digits, `_`, `-`, starting with a letter or digit), 1-32 characters.
 */
export function checkStoreCode(input: string): Checked<string, CodeProblem> {
  const code = input.trim();
  if (code === '') return { ok: false, problem: 'empty', reason: 'store code is empty' };
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(code)) {
    return {
      ok: false,
      problem: 'format',
      reason: `store code ${quoted(code)} is not valid: use 1-32 letters, digits, _ or -, starting with a letter or digit`,
    };
  }
  return { ok: true, value: code };
}

/**
 * A username: a letter first, so that no username can be mistaken for a mobile number (both
 * are logins), then letters, digits, `_ . @ -`; 2-64 characters.
 */
export function checkUsername(input: string): Checked<string, CodeProblem> {
  const name = input.trim();
  if (name === '') return { ok: false, problem: 'empty', reason: 'username is empty' };
  if (!/^[A-Za-z][A-Za-z0-9_.@-]{1,63}$/.test(name)) {
    return {
      ok: false,
      problem: 'format',
      reason: `username ${quoted(name)} is not valid: use 2-64 letters, digits, _ . @ or -, starting with a letter`,
    };
  }
  return { ok: true, value: name };
}
