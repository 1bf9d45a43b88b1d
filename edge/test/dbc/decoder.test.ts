import { describe, expect, it } from 'vitest';
import { DbcCodec } from '../../src/dbc/codec.js';
import { compileDecoder } from '../../src/dbc/decoder.js';
import type { DbcMessage } from '../../src/dbc/model.js';
import { parseDbc } from '../../src/dbc/parser.js';
import { FrameTooShortError } from '../../src/errors.js';
import { dbc, loadFixture } from './helpers.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));

function message(text: string, name: string): DbcMessage {
  const m = parseDbc(text, 'test.dbc').messages.find((x) => x.name === name);
  if (!m) throw new Error(`no message ${name}`);
  return m;
}

function fixtureDecoder(file: string, name: string) {
  const m = loadFixture(file).messages.find((x) => x.name === name);
  if (!m) throw new Error(`no message ${name} in ${file}`);
  return compileDecoder(m);
}

/** Frame bytes 12 34 56 78 9A BC DE F0, read as one little-endian integer: 0xF0DEBC9A78563412. */
const RAMP = hex('12 34 56 78 9A BC DE F0');

const LAYOUT = dbc(
  'BO_ 100 Layout: 8 ECU',
  ' SG_ LE12 : 3|12@1+ (1,0) [0|0] "" ECU',
  ' SG_ BE12 : 21|12@0+ (1,0) [0|0] "" ECU',
  ' SG_ BE12S : 21|12@0- (1,0) [0|0] "" ECU',
  ' SG_ LE1 : 63|1@1+ (1,0) [0|0] "" ECU',
  ' SG_ LE1S : 63|1@1- (1,0) [0|0] "" ECU',
  ' SG_ BE1 : 0|1@0+ (1,0) [0|0] "" ECU',
  ' SG_ LE7S : 41|7@1- (1,0) [0|0] "" ECU',
  'BO_ 101 Wide: 8 ECU',
  ' SG_ LE64 : 0|64@1+ (1,0) [0|0] "" ECU',
  ' SG_ BE64 : 7|64@0+ (1,0) [0|0] "" ECU',
  ' SG_ LE64S : 0|64@1- (1,0) [0|0] "" ECU',
  ' SG_ BE64S : 7|64@0- (1,0) [0|0] "" ECU',
  'BO_ 102 Scaled: 8 ECU',
  ' SG_ Temp : 0|8@1+ (0.1,-40) [0|0] "degC" ECU',
  ' SG_ Doubled : 8|16@1- (2,1) [0|0] "" ECU',
  ' SG_ Huge : 0|64@1+ (2,1) [0|0] "" ECU',
  ' SG_ Half : 0|64@1+ (0.5,0) [0|0] "" ECU',
);

describe('decode', () => {
  it('should read a little-endian 12-bit signal at an odd offset', () => {
    // Bits 3..14 of 0x3412 (bytes 0-1 little-endian): 0x3412 >> 3 = 0x682.
    expect(compileDecoder(message(LAYOUT, 'Layout')).decode(RAMP).LE12).toBe(0x682);
  });

  it('should read a big-endian 12-bit signal from its MSB in sawtooth numbering', () => {
    // Start bit 21 = byte 2 bit 5 is the MSB: byte 2 bits 5..0 (0x56 & 0x3F = 0x16), then
    // byte 3 bits 7..2 (0x78 >> 2 = 0x1E): 0x16 << 6 | 0x1E = 1438.
    expect(compileDecoder(message(LAYOUT, 'Layout')).decode(RAMP).BE12).toBe(1438);
  });

  it('should sign-extend big-endian 12-bit signals', () => {
    // byte 2 = 0xFF, byte 3 = 0x00: 0x3F << 6 | 0 = 0xFC0 = 4032, minus 4096 = -64.
    const decoded = compileDecoder(message(LAYOUT, 'Layout')).decode(
      hex('00 00 FF 00 00 00 00 00'),
    );
    expect([decoded.BE12, decoded.BE12S]).toEqual([4032, -64]);
  });

  it('should read 1-bit signals at the first and last bit, signed 1-bit as -1', () => {
    const d = compileDecoder(message(LAYOUT, 'Layout'));
    // Bit 63 is byte 7 bit 7 (0xF0 has it); big-endian bit 0 is byte 0 bit 0 (0x12 lacks it).
    expect(d.decode(RAMP)).toMatchObject({ LE1: 1, LE1S: -1, BE1: 0 });
    expect(d.decode(hex('01 00 00 00 00 00 00 00'))).toMatchObject({ LE1: 0, LE1S: 0, BE1: 1 });
  });

  it('should sign-extend a 7-bit little-endian signal spanning two bytes', () => {
    // Bits 41..47: byte 5 bits 1..7 = 0xBC >> 1 = 0x5E = 94, minus 128 = -34.
    expect(compileDecoder(message(LAYOUT, 'Layout')).decode(RAMP).LE7S).toBe(-34);
  });

  it('should read 64-bit signals exactly, as bigint past 2^53', () => {
    const d = compileDecoder(message(LAYOUT, 'Wide'));
    expect(d.decode(RAMP)).toEqual({
      LE64: 0xf0debc9a78563412n, // 17356517385562371090
      BE64: 0x123456789abcdef0n, // 1311768467463790320
      LE64S: 0xf0debc9a78563412n - 2n ** 64n,
      BE64S: 0x123456789abcdef0n,
    });
    const ones = d.decode(hex('FF FF FF FF FF FF FF FF'));
    expect(ones).toEqual({
      LE64: 18446744073709551615n,
      BE64: 18446744073709551615n,
      LE64S: -1,
      BE64S: -1,
    });
    // Values that fit 53 bits come back as plain numbers.
    expect(d.decode(hex('01 00 00 00 00 00 00 00'))).toEqual({
      LE64: 1,
      BE64: 72057594037927936n,
      LE64S: 1,
      BE64S: 72057594037927936n,
    });
    // The boundary: 2^53 - 1 is still a safe number, 2^53 is not.
    expect(d.decode(hex('FF FF FF FF FF FF 1F 00')).LE64).toBe(9007199254740991);
    expect(d.decode(hex('00 00 00 00 00 00 20 00')).LE64).toBe(9007199254740992n);
  });

  it('should apply scale and offset as raw * scale + offset in doubles', () => {
    // 0x12 = 18: 18 * 0.1 + -40 = -38.2 in IEEE doubles (Python gives the same).
    const d = compileDecoder(message(LAYOUT, 'Scaled'));
    const decoded = d.decode(hex('12 FF FF 00 00 00 00 00'));
    expect(decoded.Temp).toBe(-38.2);
    expect(decoded.Temp).toBe(18 * 0.1 + -40);
    // Integral scale and offset stay integers: bytes 1-2 = 0xFFFF = -1 signed: -1 * 2 + 1 = -1.
    expect(decoded.Doubled).toBe(-1);
  });

  it('should keep integral scale and offset exact past 2^53, as cantools does with Python ints', () => {
    const decoded = compileDecoder(message(LAYOUT, 'Scaled')).decode(
      hex('FF FF FF FF FF FF FF FF'),
    );
    expect(decoded.Huge).toBe(36893488147419103231n); // 2 * (2^64 - 1) + 1
    // A fractional scale is double arithmetic: (2^64 - 1) rounds to 2^64 first.
    expect(decoded.Half).toBe(2 ** 63);
  });

  it('should decode real signals of the Toyota file (big-endian, signed, fractional scale)', () => {
    const d = fixtureDecoder('_toyota_2017.dbc', 'STEER_ANGLE_SENSOR');
    // STEER_ANGLE 3|12@0- (1.5,0): (0x0F & 0xF) << 8 | 0xFE = 0xFFE = -2 -> -3.
    // STEER_FRACTION 39|4@0- (0.1,0): byte 4 >> 4 = 9 = -7 -> -7 * 0.1 = -0.7000000000000001.
    // STEER_RATE 35|12@0- (1,0): (0x9A & 0xF) << 8 | 0xBC = 0xABC = 2748 -> -1348.
    expect(d.decode(hex('0F FE 00 00 9A BC 00 00'))).toEqual({
      STEER_ANGLE: -3,
      STEER_FRACTION: -0.7000000000000001,
      STEER_RATE: -1348,
    });
    const speed = fixtureDecoder('_toyota_2017.dbc', 'SPEED');
    // SPEED 47|16@0+ (0.01,0): bytes 5-6 = 0x2710 = 10000 -> 100.
    expect(speed.decode(hex('00 00 00 00 2A 27 10 7F'))).toEqual({
      ENCODER: 0x2a,
      SPEED: 100,
      CHECKSUM: 0x7f,
    });
  });

  it('should decode the Tesla steering angle with its negative offset', () => {
    const d = fixtureDecoder('tesla_can.dbc', 'STW_ANGL_STAT');
    // StW_Angl 5|14@0+ (0.5,-2048): (0x20 & 0x3F) << 8 | 0x00 = 8192 -> 8192 * 0.5 - 2048 = 2048.
    expect(d.decode(hex('20 00 00 00 00 00 00 00')).StW_Angl).toBe(2048);
    expect(d.decode(hex('00 00 00 00 00 00 00 00')).StW_Angl).toBe(-2048);
  });

  it('should decode the signed signals of cantools signed.dbc', () => {
    const db = loadFixture('signed.dbc');
    const codec = new DbcCodec(db);
    const decode = (name: string, data: string) => {
      const m = db.messages.find((x) => x.name === name)!;
      return codec.lookup(m.id, m.extended)!.decode(hex(data));
    };
    // s7 1|7@1-: byte 0 bits 1..7 = 0x80 >> 1 = 64 = -64 in 7 bits.
    // s10big 40|10@0-: MSB byte 5 bit 0, then byte 6, then byte 7 bit 7 (the LSB).
    expect(decode('Message378910', '80 00 00 00 00 00 00 80')).toMatchObject({
      s7: -64,
      s10big: 1,
    });
    // s63big 6|63@0-: every bit but byte 0 bit 7; byte 7 bit 7 is value bit 7.
    expect(decode('Message63big_1', '80 00 00 00 00 00 00 80')).toEqual({ s63big: 128 });
    // s63 1|63@1-: byte 7 bit 7 is bit 63 of the frame, the sign bit (value bit 62).
    expect(decode('Message63_1', '00 00 00 00 00 00 00 80')).toEqual({ s63: -(2n ** 62n) });
    expect(decode('Message64big', '80 00 00 00 00 00 00 00')).toEqual({ s64big: -(2n ** 63n) });
    expect(decode('Message33big', '80 00 00 00 00 00 00 00')).toEqual({ s33big: -(2 ** 32) });
    expect(decode('Message32', 'FF FF FF 7F 00 00 00 00')).toEqual({ s32: 2 ** 31 - 1 });
    expect(decode('Message32', '00 00 00 80 00 00 00 00')).toEqual({ s32: -(2 ** 31) });
  });

  it('should reinterpret float32 and float64 bits (floating_point.dbc)', () => {
    // 1.5f = 0x3FC00000 and -2.25f = 0xC0100000, little-endian in the frame.
    expect(
      fixtureDecoder('floating_point.dbc', 'Message2').decode(hex('00 00 C0 3F 00 00 10 C0')),
    ).toEqual({ Signal2: -2.25, Signal1: 1.5 });
    // -129.448 = 0xC0602E5604189375 as a double.
    expect(
      fixtureDecoder('floating_point.dbc', 'Message1').decode(hex('75 93 18 04 56 2E 60 C0')),
    ).toEqual({ Signal1: -129.448 });
    const nan = fixtureDecoder('floating_point.dbc', 'Message1').decode(
      hex('00 00 00 00 00 00 F8 7F'),
    );
    expect(nan.Signal1).toBeNaN();
  });

  it('should read a big-endian float32 from its MSB', () => {
    const text = dbc(
      'BO_ 7 F: 8 ECU',
      ' SG_ F : 7|32@0- (2,1) [0|0] "" ECU',
      'SIG_VALTYPE_ 7 F : 1;',
    );
    // 0x3FC00000 = 1.5, then 1.5 * 2 + 1 = 4.
    expect(compileDecoder(message(text, 'F')).decode(hex('3F C0 00 00 00 00 00 00'))).toEqual({
      F: 4,
    });
  });

  it('should refuse a frame shorter than the message and ignore extra bytes', () => {
    const d = compileDecoder(message(LAYOUT, 'Scaled'));
    expect(() => d.decode(hex('12 34'))).toThrow(FrameTooShortError);
    expect(() => d.decode(hex('12 34'))).toThrow('frame has 2 data bytes, BO_ Scaled needs 8');
    const fd = new Uint8Array(64).fill(0xee);
    fd.set(hex('12 FF FF 00 00 00 00 00'));
    expect(d.decode(fd)).toEqual(d.decode(hex('12 FF FF 00 00 00 00 00')));
  });

  it('should return raw values from decodeRaw', () => {
    const d = compileDecoder(message(LAYOUT, 'Scaled'));
    expect(d.decodeRaw(hex('12 FF FF 00 00 00 00 00'))).toMatchObject({ Temp: 18, Doubled: -1 });
  });

  it('should list signals in DBC order', () => {
    const d = compileDecoder(message(LAYOUT, 'Layout'));
    expect(Object.keys(d.decode(RAMP))).toEqual([
      'LE12',
      'BE12',
      'BE12S',
      'LE1',
      'LE1S',
      'BE1',
      'LE7S',
    ]);
  });
});

describe('decode with multiplexing (multiplex_2.dbc)', () => {
  it('should decode simple multiplexing: only the signals the switch selects', () => {
    // Normal: S0 M 0|4@1-, S1 m0 4|4@1-, S2 m1 8|8@1-.
    const d = fixtureDecoder('multiplex_2.dbc', 'Normal');
    expect(d.decode(hex('00 00 00 00 00 00 00 00'))).toEqual({ S1: 0, S0: 0 });
    expect(d.decode(hex('F0 00 00 00 00 00 00 00'))).toEqual({ S1: -1, S0: 0 });
    expect(d.decode(hex('31 05 00 00 00 00 00 00'))).toEqual({ S2: 5, S0: 1 });
  });

  it('should decode only the switch when its value selects no signal', () => {
    // S0 = 0xF is -1 as a signed 4-bit switch: neither m0 nor m1.
    const d = fixtureDecoder('multiplex_2.dbc', 'Normal');
    expect(d.decode(hex('0F 00 00 00 00 00 00 00'))).toEqual({ S0: -1 });
  });

  it('should select signals by SG_MUL_VAL_ ranges unioned with m<k>', () => {
    // Shared: S1 for S0 in {1, 3}; S2 for S0 in {2..5}.
    const d = fixtureDecoder('multiplex_2.dbc', 'Shared');
    expect(d.decode(hex('23 7F 00 00 00 00 00 00'))).toEqual({ S2: 127, S1: 2, S0: 3 });
    expect(d.decode(hex('05 80 00 00 00 00 00 00'))).toEqual({ S2: -128, S0: 5 });
    expect(d.decode(hex('01 80 00 00 00 00 00 00'))).toEqual({ S1: 0, S0: 1 });
    expect(d.decode(hex('06 80 00 00 00 00 00 00'))).toEqual({ S0: 6 });
  });

  it('should follow nested switches of extended multiplexing (cantools test vectors)', () => {
    // The frames of cantools' test_multiplex_extended, which builds this message by hand.
    const d = fixtureDecoder('multiplex_2.dbc', 'Extended');
    expect(d.decode(hex('20 10 27 00 01 21 00 00'))).toEqual({
      S7: 33,
      S6: 1,
      S4: 10000,
      S1: 2,
      S0: 0,
    });
    expect(d.decode(hex('00 64 88 13 02 16 00 00'))).toEqual({
      S8: 22,
      S6: 2,
      S3: 5000,
      S2: 100,
      S1: 0,
      S0: 0,
    });
    expect(d.decode(hex('31 00 00 00 01 04 03 00'))).toEqual({ S7: 772, S6: 1, S5: 3, S0: 1 });
    // S0 = 0 selects S1, whose value 1 selects nothing; S6 = 0 selects nothing either.
    expect(d.decode(hex('10 00 00 00 00 00 00 00'))).toEqual({ S6: 0, S1: 1, S0: 0 });
  });

  it('should decode float signals under nested switches (ExtendedTypes)', () => {
    // S11 M 0|5@1+; S0 m3M 8|4@1- under S11 = 3; S10 float32 16|32 under S0 = 0;
    // S9 float32 24|32 under S11 = 5.
    const d = fixtureDecoder('multiplex_2.dbc', 'ExtendedTypes');
    expect(d.decode(hex('03 00 00 00 C0 3F 00 00'))).toEqual({ S10: 1.5, S0: 0, S11: 3 });
    expect(d.decode(hex('05 00 00 00 00 10 C0 00'))).toEqual({ S9: -2.25, S11: 5 });
    expect(d.decode(hex('03 01 00 00 00 00 00 00'))).toEqual({ S0: 1, S11: 3 });
    // S11 = 0x23 & 0x1F = 3 even with the upper bits of byte 0 set.
    expect(d.decode(hex('E3 00 00 00 C0 3F 00 00'))).toEqual({ S10: 1.5, S0: 0, S11: 3 });
  });
});
