import { DbcError } from '../errors.js';
import type { Token } from './tokenizer.js';

/**
 * Every keyword of the DBC format (the NS_ list of CANdb++ plus the section keywords). A word
 * from this set always starts a statement, so it is never read as a name.
 */
export const DBC_KEYWORDS: ReadonlySet<string> = new Set([
  'VERSION',
  'NS_',
  'NS_DESC_',
  'BS_',
  'BU_',
  'BO_',
  'SG_',
  'EV_',
  'CM_',
  'BA_DEF_',
  'BA_',
  'VAL_',
  'CAT_DEF_',
  'CAT_',
  'FILTER',
  'BA_DEF_DEF_',
  'EV_DATA_',
  'ENVVAR_DATA_',
  'SGTYPE_',
  'SGTYPE_VAL_',
  'BA_DEF_SGTYPE_',
  'BA_SGTYPE_',
  'SIG_TYPE_REF_',
  'VAL_TABLE_',
  'SIG_GROUP_',
  'SIG_VALTYPE_',
  'SIGTYPE_VALTYPE_',
  'BO_TX_BU_',
  'BA_DEF_REL_',
  'BA_REL_',
  'BA_DEF_DEF_REL_',
  'BU_SG_REL_',
  'BU_EV_REL_',
  'BU_BO_REL_',
  'SG_MUL_VAL_',
]);

function describe(token: Token | undefined): string {
  if (!token) return 'the end of the file';
  if (token.kind === 'string') return `string "${token.text}"`;
  return `'${token.text}'`;
}

/** Reads tokens in order; every `expect…` failure is a DbcError at the offending line. */
export class TokenCursor {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly file: string,
  ) {}

  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  next(): Token {
    const t = this.tokens[this.index];
    if (!t) throw this.error('unexpected end of the file');
    this.index++;
    return t;
  }

  /** The line to blame: the next token's, else the last one's. */
  get line(): number {
    return (this.tokens[this.index] ?? this.tokens[this.tokens.length - 1])?.line ?? 1;
  }

  error(message: string, line = this.line): DbcError {
    return new DbcError(message, this.file, line);
  }

  isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'punct' && t.text === text;
  }

  isWord(ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'word' && !DBC_KEYWORDS.has(t.text);
  }

  isKeyword(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'word' && t.text === text;
  }

  /** Consumes the punctuation if it is next. */
  accept(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.index++;
    return true;
  }

  expectPunct(text: string, context: string): Token {
    const t = this.peek();
    if (t?.kind !== 'punct' || t.text !== text) {
      throw this.error(`${context}: expected '${text}', found ${describe(t)}`);
    }
    return this.next();
  }

  expectKeyword(text: string, context: string): Token {
    if (!this.isKeyword(text)) {
      throw this.error(`${context}: expected ${text}, found ${describe(this.peek())}`);
    }
    return this.next();
  }

  /** A name: a word that is not a DBC keyword. */
  expectName(context: string, what: string): string {
    if (!this.isWord())
      throw this.error(`${context}: expected ${what}, found ${describe(this.peek())}`);
    return this.next().text;
  }

  expectString(context: string, what: string): string {
    const t = this.peek();
    if (t?.kind !== 'string') {
      throw this.error(`${context}: expected ${what} (a quoted string), found ${describe(t)}`);
    }
    return this.next().text;
  }

  /** Any number, as a JS number (±Infinity when it overflows a double, as Python's float()). */
  expectNumber(context: string, what: string): number {
    const t = this.peek();
    if (t?.kind !== 'number') {
      throw this.error(`${context}: expected ${what} (a number), found ${describe(t)}`);
    }
    this.next();
    return Number(t.text);
  }

  /** A number that must be finite (scale, offset). */
  expectFiniteNumber(context: string, what: string): number {
    const line = this.line;
    const value = this.expectNumber(context, what);
    if (!Number.isFinite(value)) {
      throw this.error(`${context}: ${what} ${this.peek(-1)?.text} is out of range`, line);
    }
    return value;
  }

  /** A decimal integer within [min, max] (ids, bit positions, lengths, value-table keys). */
  expectInteger(context: string, what: string, min: number, max: number): number {
    const t = this.peek();
    if (t?.kind !== 'number' || !/^[-+]?\d+$/.test(t.text)) {
      throw this.error(`${context}: expected ${what} (an integer), found ${describe(t)}`);
    }
    const value = Number(t.text);
    if (value < min || value > max) {
      throw this.error(`${context}: ${what} ${t.text} is outside ${min}..${max}`);
    }
    this.next();
    return value === 0 ? 0 : value;
  }

  /** Skips to just past the next ';' (statements this parser does not keep). */
  skipStatement(keyword: string, startLine: number): void {
    while (!this.done) {
      if (this.next().text === ';' && this.peek(-1)?.kind === 'punct') return;
    }
    throw this.error(`${keyword} starting at line ${startLine} has no closing ';'`);
  }
}
