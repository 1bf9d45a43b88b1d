import { describe, expect, it } from 'vitest';
import { frame } from '../../src/can/frame.js';
import { DbcCodec } from '../../src/dbc/codec.js';
import { parseDbc } from '../../src/dbc/parser.js';
import { FrameTooShortError } from '../../src/errors.js';
import { dbc } from './helpers.js';

const codec = new DbcCodec(
  parseDbc(
    dbc(
      'BO_ 256 Std: 2 ECU',
      ' SG_ A : 0|16@1+ (1,0) [0|0] "" ECU',
      'BO_ 2147483904 Ext: 1 ECU',
      ' SG_ B : 0|8@1+ (1,0) [0|0] "" ECU',
    ),
    'codec.dbc',
  ),
);

describe('DbcCodec', () => {
  it('should tell a standard id from the same extended id', () => {
    expect(codec.lookup(0x100, false)?.message.name).toBe('Std');
    expect(codec.lookup(0x100, true)?.message.name).toBe('Ext');
    expect(codec.lookup(0x101, false)).toBeUndefined();
    expect(codec.lookup(0x7ff, false)).toBeUndefined();
    expect(codec.lookup(0x1fffffff, true)).toBeUndefined();
  });

  it('should decode data frames and pass over unknown, remote and error frames', () => {
    expect(codec.decodeFrame(frame(0x100, [0x34, 0x12], { extended: false }))).toEqual({
      message: codec.lookup(0x100, false)!.message,
      signals: { A: 0x1234 },
    });
    expect(codec.decodeFrame(frame(0x100, [7], { extended: true }))?.signals).toEqual({ B: 7 });
    expect(codec.decodeFrame(frame(0x200, [1, 2], { extended: false }))).toBeUndefined();
    expect(codec.decodeFrame(frame(0x100, [], { remote: true, dlc: 2 }))).toBeUndefined();
    expect(codec.decodeFrame(frame(0x100, [1, 2], { error: true }))).toBeUndefined();
  });

  it('should refuse a data frame shorter than its message', () => {
    expect(() => codec.decodeFrame(frame(0x100, [1], { extended: false }))).toThrow(
      FrameTooShortError,
    );
  });
});

describe('signal names that are Object.prototype keys', () => {
  it('should decode and encode a signal called __proto__ like any other', () => {
    const text = dbc(
      'BO_ 9 Odd: 2 ECU',
      ' SG_ __proto__ : 0|8@1+ (1,0) [0|0] "" ECU',
      ' SG_ constructor : 8|8@1+ (1,0) [0|0] "" ECU',
    );
    const odd = new DbcCodec(parseDbc(text, 'odd.dbc')).lookup(9, false)!;
    const decoded = odd.decode(Uint8Array.from([5, 6]));
    expect(Object.keys(decoded)).toEqual(['__proto__', 'constructor']);
    expect(Object.entries(decoded)).toEqual([
      ['__proto__', 5],
      ['constructor', 6],
    ]);
    expect([...odd.encode(decoded)]).toEqual([5, 6]);
    expect(() => odd.encode({ constructor: 6 })).toThrow('signal __proto__ is required');
  });
});
