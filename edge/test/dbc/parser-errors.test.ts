import { describe, expect, it } from 'vitest';
import { parseDbc } from '../../src/dbc/parser.js';
import { DbcError, EdgeErrorCodes } from '../../src/errors.js';
import { dbc, lineOf } from './helpers.js';

/** Parses and returns the DbcError it must throw. */
function dbcError(text: string, file = 'broken.dbc'): DbcError {
  try {
    parseDbc(text, file);
  } catch (e) {
    if (e instanceof DbcError) return e;
    throw e;
  }
  throw new Error('parseDbc accepted the text');
}

describe('parseDbc errors', () => {
  it('should name the file and line, carry the stable code and say what is wrong', () => {
    const text = dbc('BO_ 100 Speed: 8 ECU', ' SG_ SPEED : 70|12@1+ (0.01,0) [0|250] "km/h" ECU');
    const e = dbcError(text, 'x.dbc');
    expect(e.message).toBe(
      `x.dbc:${lineOf(text, 'SG_ SPEED')}: SG_ SPEED start bit 70 + length 12 exceeds the 8-byte frame of BO_ Speed`,
    );
    expect(e.code).toBe(EdgeErrorCodes.dbcInvalid);
    expect([e.file, e.line]).toEqual(['x.dbc', lineOf(text, 'SG_ SPEED')]);
  });

  it('should refuse a big-endian signal that runs past the frame (sawtooth numbering)', () => {
    // MSB at byte 0 bit 3: 12 bits end in byte 1; in a 1-byte frame they do not fit.
    const text = dbc('BO_ 1 Short: 1 ECU', ' SG_ ANGLE : 3|12@0- (1.5,0) [0|0] "deg" ECU');
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'SG_ ANGLE')}: SG_ ANGLE (big-endian) start bit 3 with length 12 runs into byte 1, past the 1-byte frame of BO_ Short`,
    );
  });

  it('should accept signals that end exactly at the last bit, in both byte orders', () => {
    const text = dbc(
      'BO_ 1 Edge: 2 ECU',
      ' SG_ LE : 4|12@1+ (1,0) [0|0] "" ECU',
      ' SG_ BE : 3|12@0+ (1,0) [0|0] "" ECU',
    );
    expect(parseDbc(text, 'edge.dbc').messages[0]?.signals).toHaveLength(2);
    expect(dbcError(text.replace('4|12@1+', '5|12@1+')).message).toMatch(/SG_ LE start bit 5/);
    expect(dbcError(text.replace('3|12@0+', '2|12@0+')).message).toMatch(/SG_ BE \(big-endian\)/);
  });

  it('should refuse signal lengths of 0 and above 64 bits', () => {
    expect(dbcError(dbc('BO_ 1 M: 8 ECU', ' SG_ Z : 0|0@1+ (1,0) [0|0] "" ECU')).message).toMatch(
      /SG_ Z: length 0 is outside 1\.\.64 bits$/,
    );
    expect(dbcError(dbc('BO_ 1 M: 16 ECU', ' SG_ W : 0|65@1+ (1,0) [0|0] "" ECU')).message).toMatch(
      /SG_ W: length 65 is outside 1\.\.64 bits$/,
    );
  });

  it('should refuse a float signal that is not 32 or 64 bits long, at the SIG_VALTYPE_ line', () => {
    const text = dbc(
      'BO_ 1024 M: 8 ECU',
      ' SG_ F : 0|16@1- (1,0) [0|0] "" ECU',
      'SIG_VALTYPE_ 1024 F : 1;',
    );
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'SIG_VALTYPE_ 1024')}: SIG_VALTYPE_ 1024 F : 1 declares a float32 but the signal is 16 bits long`,
    );
    const double = text.replace('0|16@1-', '0|32@1-').replace(' : 1;', ' : 2;');
    expect(dbcError(double).message).toMatch(/declares a float64 but the signal is 32 bits long$/);
    expect(dbcError(text.replace(' : 1;', ' : 3;')).message).toMatch(
      /the value type 3 is outside 0\.\.2$/,
    );
  });

  it('should refuse duplicate message ids, naming both messages', () => {
    const text = dbc('BO_ 100 First: 8 ECU', '', 'BO_ 100 Second: 8 ECU');
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'BO_ 100 Second')}: BO_ Second: id 100 is already used by BO_ First (line ${lineOf(text, 'BO_ 100 First')})`,
    );
  });

  it('should refuse a signal name defined twice in one message', () => {
    const text = dbc(
      'BO_ 1 M: 8 ECU',
      ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU',
      ' SG_ A : 8|8@1+ (1,0) [0|0] "" ECU',
    );
    expect(dbcError(text).message).toBe(
      'broken.dbc:12: SG_ A is defined twice in BO_ M (first on line 11)',
    );
  });

  it('should refuse ids that do not fit the frame format, as cantools does', () => {
    expect(dbcError(dbc('BO_ 2048 Big: 8 ECU')).message).toBe(
      'broken.dbc:10: BO_ Big: standard id 2048 (0x800) does not fit 11 bits; an extended id is written with bit 31 set (2147485696)',
    );
    expect(dbcError(dbc('BO_ 4294967295 Huge: 8 ECU')).message).toMatch(
      /BO_ Huge: id 4294967295 \(0xffffffff\) sets bits above the 29-bit extended id$/,
    );
  });

  it('should refuse bad numbers with what was found', () => {
    const base = ' SG_ S : 0|8@1+ (1,0) [0|0] "" ECU';
    const cases: [string, RegExp][] = [
      [base.replace('0|8', 'x|8'), /SG_ S: expected the start bit \(an integer\), found 'x'$/],
      [base.replace('0|8', '1.5|8'), /SG_ S: expected the start bit \(an integer\), found '1\.5'$/],
      [base.replace('(1,0)', '(abc,0)'), /SG_ S: expected the scale \(a number\), found 'abc'$/],
      [base.replace('(1,0)', '(1,1e999)'), /SG_ S: the offset 1e999 is out of range$/],
      [
        base.replace('@1+', '@2+'),
        /byte order must be 0 \(big-endian, Motorola\) or 1 \(little-endian, Intel\), found '2'$/,
      ],
      [base.replace('@1+', '@1*'), /unexpected character '\*'$/],
      [
        base.replace('@1+', '@1 '),
        /expected '\+' \(unsigned\) or '-' \(signed\) after @1, found '\('$/,
      ],
      [base.replace('[0|0]', '[0|0'), /SG_ S: expected '\]', found string ""$/],
    ];
    for (const [line, message] of cases) {
      const e = dbcError(dbc('BO_ 1 M: 8 ECU', line));
      expect(e.message, line).toMatch(message);
      expect(e.line, line).toBe(11);
    }
    expect(dbcError(dbc('BO_ abc M: 8 ECU')).message).toBe(
      "broken.dbc:10: BO_: expected the message id (an integer), found 'abc'",
    );
    expect(dbcError(dbc('BO_ 1 M: 2000 ECU')).message).toMatch(
      /the length 2000 is outside 0\.\.1785$/,
    );
  });

  it('should refuse a multiplexed signal in a message without a switch', () => {
    const text = dbc('BO_ 1 M: 8 ECU', ' SG_ A m1 : 0|8@1+ (1,0) [0|0] "" ECU');
    expect(dbcError(text).message).toBe(
      'broken.dbc:11: SG_ A is multiplexed (m1) but BO_ M has no multiplexer switch (M)',
    );
  });

  it('should refuse a bad multiplexer indicator', () => {
    expect(
      dbcError(dbc('BO_ 1 M: 8 ECU', ' SG_ A x1 : 0|8@1+ (1,0) [0|0] "" ECU')).message,
    ).toMatch(/SG_ A: expected ':' or a multiplexer indicator \(M, m<k>, m<k>M\), found 'x1'$/);
  });

  it('should refuse SG_MUL_VAL_ references to unknown messages, signals and switches', () => {
    const lines = [
      'BO_ 1 M: 8 ECU',
      ' SG_ Sw M : 0|4@1+ (1,0) [0|0] "" ECU',
      ' SG_ Inner m1M : 4|4@1+ (1,0) [0|0] "" ECU',
      ' SG_ A m2 : 8|8@1+ (1,0) [0|0] "" ECU',
      ' SG_ Plain : 16|8@1+ (1,0) [0|0] "" ECU',
    ];
    const ok = ['SG_MUL_VAL_ 1 Inner Sw 1-1;', 'SG_MUL_VAL_ 1 A Inner 2-2;'];
    expect(() => parseDbc(dbc(...lines, ...ok), 'ok.dbc')).not.toThrow();
    const cases: [string, string][] = [
      ['SG_MUL_VAL_ 7 A Inner 2-2;', 'SG_MUL_VAL_ refers to message id 7, which is not defined'],
      ['SG_MUL_VAL_ 1 Nope Inner 2-2;', 'SG_MUL_VAL_ names signal Nope, which BO_ M does not have'],
      [
        'SG_MUL_VAL_ 1 A Ghost 2-2;',
        'SG_MUL_VAL_ for A: Ghost is not a multiplexer switch (M) of BO_ M',
      ],
      [
        'SG_MUL_VAL_ 1 A Plain 2-2;',
        'SG_MUL_VAL_ for A: Plain is not a multiplexer switch (M) of BO_ M',
      ],
      ['SG_MUL_VAL_ 1 A Inner 5-3;', 'SG_MUL_VAL_ for A: range 5-3 is empty'],
    ];
    for (const [line, message] of cases) {
      const text = dbc(...lines, 'SG_MUL_VAL_ 1 Inner Sw 1-1;', line);
      expect(dbcError(text).message).toBe(`broken.dbc:${lineOf(text, line)}: ${message}`);
    }
  });

  it('should refuse m<k> signals that no SG_MUL_VAL_ assigns when a message has several switches', () => {
    const text = dbc(
      'BO_ 1 M: 8 ECU',
      ' SG_ Sw M : 0|4@1+ (1,0) [0|0] "" ECU',
      ' SG_ Inner m1M : 4|4@1+ (1,0) [0|0] "" ECU',
      ' SG_ A m2 : 8|8@1+ (1,0) [0|0] "" ECU',
      'SG_MUL_VAL_ 1 Inner Sw 1-1;',
    );
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'SG_ A')}: SG_ A is multiplexed (m2) but BO_ M has 2 switches (Sw, Inner) and no SG_MUL_VAL_ says which one selects it`,
    );
  });

  it('should refuse switches that select each other', () => {
    const text = dbc(
      'BO_ 1 M: 8 ECU',
      ' SG_ P m1M : 0|4@1+ (1,0) [0|0] "" ECU',
      ' SG_ Q m1M : 4|4@1+ (1,0) [0|0] "" ECU',
      'SG_MUL_VAL_ 1 P Q 1-1;',
      'SG_MUL_VAL_ 1 Q P 1-1;',
    );
    expect(dbcError(text).message).toMatch(
      /multiplexer switches of BO_ M select each other \(P -> Q -> P\)$/,
    );
  });

  it('should refuse statements without their closing semicolon', () => {
    const text = dbc('BO_ 1 M: 8 ECU', 'CM_ BO_ 1 "no semicolon"', 'VAL_ 1 X 0 "a";');
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'VAL_')}: CM_: expected ';', found 'VAL_'`,
    );
    const skipped = dbc('BO_ 1 M: 8 ECU', 'EV_ E: 0 [0|1] "" 0 1 DUMMY_NODE_VECTOR0 X');
    expect(dbcError(skipped).message).toBe(
      `broken.dbc:${lineOf(skipped, 'EV_')}: EV_ starting at line ${lineOf(skipped, 'EV_')} has no closing ';'`,
    );
  });

  it('should refuse an unterminated string at the line it opens', () => {
    const text = dbc('BO_ 1 M: 8 ECU', 'CM_ "runs off', 'the end');
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'CM_ "runs')}: unterminated string`,
    );
  });

  it('should refuse unknown keywords, stray punctuation and SG_ outside a message', () => {
    // After BU_ any word is a node name, so the stray word follows another statement.
    expect(dbcError(dbc('VAL_TABLE_ T 1 "a";', 'dd')).message).toBe(
      "broken.dbc:11: unknown keyword 'dd'",
    );
    expect(dbcError(dbc(';')).message).toBe(
      "broken.dbc:10: expected a DBC keyword (BO_, SG_, CM_ ...), found ';'",
    );
    expect(dbcError(dbc('VAL_TABLE_ T 1 "a";', ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU')).message).toBe(
      'broken.dbc:11: SG_ outside a message: signals must follow their BO_ line',
    );
  });

  it('should refuse receivers that are not separated by commas', () => {
    const text = dbc('BO_ 1 M: 8 ECU', ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU', 'stray');
    expect(dbcError(text).message).toBe("broken.dbc:12: unknown keyword 'stray'");
    const listed = dbc('BO_ 1 M: 8 ECU', ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU, GW,Vector__XXX');
    expect(parseDbc(listed, 'ok.dbc').messages[0]?.signals[0]?.receivers).toEqual(['ECU', 'GW']);
  });

  it('should refuse VAL_ entries that are not integers', () => {
    const text = dbc(
      'BO_ 1 M: 8 ECU',
      ' SG_ A : 0|8@1+ (1,0) [0|0] "" ECU',
      'VAL_ 1 A 1.5 "half";',
    );
    expect(dbcError(text).message).toBe(
      `broken.dbc:${lineOf(text, 'VAL_')}: VAL_ 1 A: expected a raw value (an integer), found '1.5'`,
    );
  });

  it('should report the end of the file for truncated text', () => {
    const text = 'BO_ 1 M: 8 ECU\n SG_ A : 0|8@1+ (1,0)';
    expect(dbcError(text).message).toBe(
      "broken.dbc:2: SG_ A: expected '[', found the end of the file",
    );
  });
});
