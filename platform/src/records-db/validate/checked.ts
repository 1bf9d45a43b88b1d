/**
 * What a validator answers: the value in its canonical form, or which rule it breaks (a stable
 * code a program can test) and a sentence a person can act on.
 */
export type Checked<T, Problem extends string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: Problem; readonly reason: string };

/**
 * Characters that must never reach a table, a terminal or a log line: C0 and C1 controls and
 * DEL (a newline forges a log line, an escape sequence repaints a terminal), the line and
 * paragraph separators, and the bidirectional embedding, override and isolate controls (they
 * make text read as something else, CVE-2021-42574).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const unprintableAll = new RegExp(UNPRINTABLE.source, 'gu');

const escaped = (c: string): string =>
  `\\u${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/** `text` with every unprintable character written as its \u escape: one harmless line. */
export const printable = (text: string): string => text.replace(unprintableAll, escaped);

/**
 * `text` quoted for a message, clipped to `max` characters, quotes and backslashes escaped,
 * unprintable characters as their \u escapes: the message stays one harmless line.
 */
export function quoted(text: string, max = 40): string {
  const chars = [...text];
  const clipped = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return `"${printable(clipped.replace(/["\\]/g, '\\$&'))}"`;
}

/** The U+XXXX name of a character, for messages. */
export const codePointName = (c: string): string =>
  `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
