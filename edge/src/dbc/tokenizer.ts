import { DbcError } from '../errors.js';

/**
 * Splits DBC text into tokens, each with the line it starts on.
 *
 * The token classes follow cantools' DBC tokenizer (formats/dbc.py), so a file cantools
 * accepts tokenizes the same way here:
 *   - numbers before words, so `8bit` is the number 8 then the word `bit`; a leading sign
 *     belongs to the number (`-40`, and the `-5` of an SG_MUL_VAL_ range `2-5`);
 *   - strings may span lines; `\"` inside a string is a quote, other backslashes are kept;
 *   - `//` starts a comment that runs to the end of the line.
 * One leniency over cantools: `.5` is read as a number (cantools rejects the leading dot).
 */

export type TokenKind = 'number' | 'word' | 'string' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** The text as written; for strings the content without quotes, `\"` unescaped. */
  readonly text: string;
  readonly line: number;
}

const SPACE = /[ \t\r\n\f\v]+/y;
const COMMENT = /\/\/[^\r\n]*/y;
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z0-9_]+/y;
const STRING = /"(?:\\"|[^"])*"/y;
const PUNCT = '()[],|@;:+-';

/** Counts line breaks: `\n`, and a lone `\r` (classic Mac files). */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

function describeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code >= 0x21 && code <= 0x7e
    ? `'${c}'`
    : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  const at = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    return m ? m[0] : undefined;
  };
  while (pos < text.length) {
    const space = at(SPACE);
    if (space !== undefined) {
      line += lineBreaks(space);
      pos += space.length;
      continue;
    }
    const comment = at(COMMENT);
    if (comment !== undefined) {
      pos += comment.length;
      continue;
    }
    const c = text[pos] as string;
    if (c === '"') {
      const str = at(STRING);
      if (str === undefined) throw new DbcError('unterminated string', file, line);
      tokens.push({ kind: 'string', text: str.slice(1, -1).replaceAll('\\"', '"'), line });
      line += lineBreaks(str);
      pos += str.length;
      continue;
    }
    const num = at(NUMBER);
    if (num !== undefined) {
      tokens.push({ kind: 'number', text: num, line });
      pos += num.length;
      continue;
    }
    const word = at(WORD);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word, line });
      pos += word.length;
      continue;
    }
    if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', text: c, line });
      pos += 1;
      continue;
    }
    throw new DbcError(`unexpected character ${describeChar(c)}`, file, line);
  }
  return tokens;
}
