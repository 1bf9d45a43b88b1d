import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { bitChunks } from '../../src/dbc/bit-layout.js';
import { DbcCodec } from '../../src/dbc/codec.js';
import { compileEncoder } from '../../src/dbc/encoder.js';
import type { DbcMessage } from '../../src/dbc/model.js';
import { parseDbc } from '../../src/dbc/parser.js';
import { DbcEncodeError } from '../../src/errors.js';
import { dbc, fixtureNames, loadFixture, randomFrame } from './helpers.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function encoderOf(text: string, name: string) {
  const m = parseDbc(text, 'enc.dbc').messages.find((x) => x.name === name)!;
  return compileEncoder(m);
}

const ENGINE = dbc(
  'BO_ 100 Engine: 8 ECU',
  ' SG_ Rpm : 0|16@1+ (0.25,0) [0|16383.75] "rpm" ECU',
  ' SG_ Temp : 16|8@1+ (1,-40) [-40|215] "degC" ECU',
  ' SG_ Gear : 24|3@1+ (1,0) [0|5] "" ECU',
  ' SG_ Torque : 39|12@0- (0.5,0) [-1000|1000] "Nm" ECU',
  'VAL_ 100 Gear 0 "P" 1 "R" 2 "N" 3 "D" 7 "SNA";',
);

/** Bits of the frame the present signals occupy. */
function usedBits(message: DbcMessage, present: readonly string[]): Uint8Array {
  const mask = new Uint8Array(message.length);
  for (const s of message.signals) {
    if (!present.includes(s.name)) continue;
    for (const c of bitChunks(s.startBit, s.length, s.byteOrder))
      mask[c.byte]! |= c.mask << c.shift;
  }
  return mask;
}

describe('encode', () => {
  it('should pack physical values the inverse of decode', () => {
    const e = encoderOf(ENGINE, 'Engine');
    // Rpm 3000 / 0.25 = 12000 = 0x2EE0 (LE); Temp 90 + 40 = 130 = 0x82; Gear 3;
    // Torque -12.5 / 0.5 = -25 = 0xFE7 in 12 bits, MSB at byte 4 bit 7: FE 7_.
    expect(hex(e.encode({ Rpm: 3000, Temp: 90, Gear: 3, Torque: -12.5 }))).toBe('E02E8203FE700000');
  });

  it('should round like cantools: round((physical - offset) / scale), ties to even', () => {
    const e = encoderOf(ENGINE, 'Engine');
    const rpm = (value: number) => {
      const bytes = e.encode({ Rpm: value, Temp: 0, Gear: 0, Torque: 0 });
      return bytes[0]! | (bytes[1]! << 8);
    };
    expect(rpm(0.125)).toBe(0); // 0.5 -> 0
    expect(rpm(0.375)).toBe(2); // 1.5 -> 2
    expect(rpm(0.625)).toBe(2); // 2.5 -> 2
    expect(rpm(0.6)).toBe(2); // 2.4 -> 2
    expect(rpm(0.7)).toBe(3); // 2.8 -> 3
  });

  it('should accept value-table labels for signals that have them', () => {
    const e = encoderOf(ENGINE, 'Engine');
    expect(e.encode({ Rpm: 0, Temp: 0, Gear: 'D', Torque: 0 })[3]).toBe(3);
    // A labelled raw value outside [min|max] is allowed, as in cantools.
    expect(e.encode({ Rpm: 0, Temp: 0, Gear: 7, Torque: 0 })[3]).toBe(7);
    expect(() => e.encode({ Rpm: 0, Temp: 0, Gear: 'X', Torque: 0 })).toThrow(
      'BO_ Engine signal Gear: "X" is not in its value table',
    );
  });

  it('should check [min|max] in strict mode with cantools tolerance, and not otherwise', () => {
    const e = encoderOf(ENGINE, 'Engine');
    const base = { Rpm: 0, Gear: 0, Torque: 0 };
    expect(() => e.encode({ ...base, Temp: 216 })).toThrow(
      'BO_ Engine signal Temp: 216 is above its maximum 215',
    );
    expect(() => e.encode({ ...base, Temp: -41 })).toThrow(
      'BO_ Engine signal Temp: -41 is below its minimum -40',
    );
    // Within |scale| * 1e-6 of the bound is accepted.
    expect(e.encode({ ...base, Temp: 215.0000005 })[2]).toBe(255);
    expect(() => e.encode({ ...base, Temp: -40.4 })).toThrow('-40.4 is below its minimum -40');
    expect(e.encode({ ...base, Temp: -40.4 }, { strict: false })[2]).toBe(0);
  });

  it('should refuse raw values that do not fit their bits, or clamp them when asked', () => {
    const e = encoderOf(ENGINE, 'Engine');
    const base = { Rpm: 0, Temp: 0, Torque: 0 };
    expect(() => e.encode({ ...base, Gear: 9 }, { strict: false })).toThrow(
      'BO_ Engine signal Gear: raw value 9 does not fit 3 unsigned bits (0..7)',
    );
    expect(e.encode({ ...base, Gear: 9 }, { strict: false, clamp: true })[3]).toBe(7);
    expect(e.encode({ ...base, Gear: -3 }, { strict: false, clamp: true })[3]).toBe(0);
    expect(() => e.encode({ ...base, Gear: 0, Torque: 5000 }, { strict: false })).toThrow(
      'raw value 10000 does not fit 12 signed bits (-2048..2047)',
    );
  });

  it('should refuse missing signals, unknown names (strict) and non-finite integers', () => {
    const e = encoderOf(ENGINE, 'Engine');
    expect(() => e.encode({ Rpm: 0, Temp: 0, Gear: 0 })).toThrow(
      'BO_ Engine: signal Torque is required to encode this frame',
    );
    expect(() => e.encode({ Rpm: 0, Temp: 0, Gear: 0, Torque: 0, Speed: 1 })).toThrow(
      'BO_ Engine: Speed is not carried by this frame (strict encoding)',
    );
    expect(() =>
      e.encode({ Rpm: 0, Temp: 0, Gear: 0, Torque: 0, Speed: 1 }, { strict: false }),
    ).not.toThrow();
    expect(() => e.encode({ Rpm: Number.NaN, Temp: 0, Gear: 0, Torque: 0 })).toThrow(
      'BO_ Engine signal Rpm: NaN has no integer raw value',
    );
    try {
      e.encode({});
    } catch (err) {
      expect(err).toBeInstanceOf(DbcEncodeError);
      expect((err as DbcEncodeError).code).toBe('EDGE_DBC_ENCODE_INVALID');
    }
  });

  it('should encode 64-bit values exactly from bigint', () => {
    const text = dbc(
      'BO_ 1 W: 8 ECU',
      ' SG_ U : 0|64@1+ (1,0) [0|0] "" ECU',
      'BO_ 2 B: 8 ECU',
      ' SG_ S : 7|64@0- (2,1) [0|0] "" ECU',
    );
    expect(hex(encoderOf(text, 'W').encode({ U: 0xf0debc9a78563412n }))).toBe('123456789ABCDEF0');
    // (physical - 1) / 2 = -(2^62) exactly, big-endian two's complement: C0 00 ... 00.
    expect(hex(encoderOf(text, 'B').encode({ S: -(2n ** 63n) + 1n }))).toBe('C000000000000000');
  });

  it('should encode floats as IEEE bits', () => {
    const db = loadFixture('floating_point.dbc');
    const codec = new DbcCodec(db);
    const m2 = codec.lookup(1025, false)!;
    expect(hex(m2.encode({ Signal1: 1.5, Signal2: -2.25 }))).toBe('0000C03F000010C0');
    const m1 = codec.lookup(1024, false)!;
    expect(hex(m1.encode({ Signal1: -129.448 }))).toBe('75931804562E60C0');
    expect(() => m2.encode({ Signal1: 1e39, Signal2: 0 })).toThrow('1e+39 does not fit a float32');
  });

  it('should encode only the signals the switches select (cantools test vectors)', () => {
    const codec = new DbcCodec(loadFixture('multiplex_2.dbc'));
    const extended = codec.lookup(0x0c00fefe, true)!;
    expect(hex(extended.encode({ S0: 0, S1: 2, S4: 10000, S6: 1, S7: 33 }))).toBe(
      '2010270001210000',
    );
    expect(hex(extended.encode({ S0: 0, S1: 0, S2: 100, S3: 5000, S6: 2, S8: 22 }))).toBe(
      '0064881302160000',
    );
    expect(hex(extended.encode({ S0: 1, S5: 3, S6: 1, S7: 772 }))).toBe('3100000001040300');
    // S5 belongs to S0 = 1, not to S0 = 0.
    expect(() => extended.encode({ S0: 0, S1: 2, S4: 1, S6: 1, S7: 3, S5: 3 })).toThrow(
      'BO_ Extended: S5 is not carried by this frame (strict encoding)',
    );
    expect(() => extended.encode({ S0: 7, S6: 1, S7: 3 })).toThrow(
      'BO_ Extended: switch S0 = 7 selects no signal (expected 0, 1)',
    );
    const types = codec.lookup(0x0c03fefe, true)!;
    expect(hex(types.encode({ S11: 3, S0: 0, S10: 1.5 }))).toBe('03000000C03F0000');
    // S9's range is [-1.34|1235].
    expect(() => types.encode({ S11: 5, S9: -2.25 })).toThrow(
      'S9: -2.25 is below its minimum -1.34',
    );
  });
});

describe.each(fixtureNames)('encode and decode round trips on %s', (file) => {
  const db = loadFixture(file);
  const codec = new DbcCodec(db);

  it('should rebuild the signal bits of random frames from their decoded values', () => {
    const random = seededRandom(file.length * 104729);
    for (const m of db.messages) {
      const c = codec.lookup(m.id, m.extended)!;
      let checked = 0;
      // NaN floats are skipped: their payload bits need not survive a round trip.
      for (let attempt = 0; attempt < 100 && checked < 20; attempt++) {
        const data = randomFrame(random, m);
        const decoded = c.decode(data);
        if (Object.values(decoded).some((v) => typeof v === 'number' && Number.isNaN(v))) continue;
        const encoded = c.encode(decoded, { strict: false });
        const mask = usedBits(m, Object.keys(decoded));
        expect(hex(encoded), m.name).toBe(hex(data.map((b, j) => b & mask[j]!)));
        expect(c.decode(encoded), m.name).toEqual(decoded);
        checked++;
      }
      expect(checked, m.name).toBe(20);
    }
  });
});

describe('encode with a switch nothing depends on', () => {
  it('should encode the switch like any signal, as cantools does', () => {
    const e = encoderOf(
      dbc('BO_ 1 Lonely: 1 ECU', ' SG_ Sw M : 0|4@1+ (1,0) [0|0] "" ECU'),
      'Lonely',
    );
    expect([...e.encode({ Sw: 9 })]).toEqual([9]);
  });
});
