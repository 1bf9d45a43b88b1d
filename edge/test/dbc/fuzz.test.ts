import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { DbcCodec } from '../../src/dbc/codec.js';
import { parseDbc } from '../../src/dbc/parser.js';
import { DbcError, FrameTooShortError } from '../../src/errors.js';
import { fixtureNames, fixtureText, randomBytes } from './helpers.js';

/**
 * Garbage in: the parser may only ever throw DbcError, and whatever it accepts must decode any
 * frame, throwing FrameTooShortError at most.
 */

const VOCABULARY = [
  'VERSION',
  'NS_',
  'BS_',
  'BU_',
  'BO_',
  'SG_',
  'CM_',
  'BA_DEF_',
  'BA_DEF_DEF_',
  'BA_',
  'VAL_',
  'VAL_TABLE_',
  'SIG_VALTYPE_',
  'SG_MUL_VAL_',
  'BO_TX_BU_',
  'EV_',
  'SIG_GROUP_',
  'M',
  'm0',
  'm1',
  'm1M',
  'm2',
  'ECU',
  'Vector__XXX',
  'X',
  ':',
  ';',
  ',',
  '|',
  '@',
  '+',
  '-',
  '(',
  ')',
  '[',
  ']',
  '"',
  '"unit"',
  '"a \\" b"',
  '0',
  '1',
  '7',
  '8',
  '63',
  '64',
  '65',
  '-1',
  '2147483648',
  '2349072126',
  '4294967295',
  '1e999',
  '0.5',
  '-3.4E+038',
  '1-1',
  '2-5',
  '\n',
  '\n ',
  '\r\n',
  '//',
  '\u00b0',
  '\u0000',
  '{',
  '1.',
  '.5',
];

function expectOnlyDbcErrorOrDecodable(text: string, random: () => number): void {
  let codec: DbcCodec;
  try {
    codec = new DbcCodec(parseDbc(text, 'fuzz.dbc'));
  } catch (e) {
    if (!(e instanceof DbcError)) throw new Error(`non-DbcError ${String(e)} for:\n${text}`);
    expect(e.message).toMatch(/^fuzz\.dbc:\d+: /);
    return;
  }
  for (const m of codec.database.messages) {
    const c = codec.lookup(m.id, m.extended)!;
    for (let i = 0; i < 4; i++) {
      const data = randomBytes(random, Math.floor(random() * (m.length + 3)));
      try {
        c.decode(data);
      } catch (e) {
        if (!(e instanceof FrameTooShortError)) throw e;
        expect(data.length).toBeLessThan(m.length);
      }
    }
  }
}

describe('fuzzing', () => {
  it('should throw nothing but DbcError on random token soup', () => {
    const random = seededRandom(1);
    for (let n = 0; n < 3000; n++) {
      const words: string[] = [];
      const count = 1 + Math.floor(random() * 40);
      for (let i = 0; i < count; i++) {
        words.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)]!);
      }
      expectOnlyDbcErrorOrDecodable(words.join(random() < 0.5 ? ' ' : ''), random);
    }
  });

  it('should throw nothing but DbcError on random bytes', () => {
    const random = seededRandom(2);
    for (let n = 0; n < 500; n++) {
      const bytes = randomBytes(random, Math.floor(random() * 300));
      expectOnlyDbcErrorOrDecodable(Buffer.from(bytes).toString('latin1'), random);
    }
  });

  it('should throw nothing but DbcError on mutated fixture files, and decode what still parses', () => {
    const random = seededRandom(3);
    let parsed = 0;
    for (const name of fixtureNames) {
      const original = fixtureText(name);
      const rounds = original.length > 20000 ? 40 : 150;
      for (let n = 0; n < rounds; n++) {
        let text = original;
        const edits = 1 + Math.floor(random() * 3);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(random() * text.length);
          const span = Math.floor(random() * 12);
          const insert =
            random() < 0.5 ? VOCABULARY[Math.floor(random() * VOCABULARY.length)]! : '';
          text = text.slice(0, at) + insert + text.slice(at + span);
        }
        try {
          parseDbc(text, 'fuzz.dbc');
          parsed++;
        } catch {
          // checked below
        }
        expectOnlyDbcErrorOrDecodable(text, random);
      }
    }
    // Some mutations must survive parsing, or the decode half of this test checks nothing.
    expect(parsed).toBeGreaterThan(50);
  });
});
