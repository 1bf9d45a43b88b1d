import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { DbcCodec } from '../../src/dbc/codec.js';
import { conversionKind, toPhysical } from '../../src/dbc/conversion.js';
import type { DbcMessage, DbcSignal } from '../../src/dbc/model.js';
import { inMuxRanges } from '../../src/dbc/multiplexing.js';
import { fixtureNames, loadFixture, randomBytes, randomFrame, referenceRaw } from './helpers.js';

/** The signals a frame carries, worked out from the model independently of the decoder. */
function expectedPresent(message: DbcMessage, data: Uint8Array): Set<string> {
  const byName = new Map(message.signals.map((s) => [s.name, s]));
  const present = (s: DbcSignal): boolean => {
    const cond = s.multiplexedBy;
    if (!cond) return true;
    const sw = byName.get(cond.switchName)!;
    if (!present(sw)) return false;
    const raw = referenceRaw(data, sw.startBit, sw.length, sw.byteOrder, sw.signed);
    return inMuxRanges(Number(raw), cond.ranges);
  };
  return new Set(message.signals.filter(present).map((s) => s.name));
}

/** The oracle's physical value: reference raw bits, then cantools' conversion. */
function expectedValue(s: DbcSignal, data: Uint8Array): number | bigint {
  const raw = referenceRaw(
    data,
    s.startBit,
    s.length,
    s.byteOrder,
    s.valueType === 'integer' && s.signed,
  );
  if (s.valueType === 'integer') {
    const asValue = raw >= -(2n ** 53n) + 1n && raw <= 2n ** 53n - 1n ? Number(raw) : raw;
    return toPhysical(conversionKind(s), asValue, s.scale, s.offset);
  }
  const view = new DataView(new ArrayBuffer(8));
  const bits = raw < 0n ? raw + (1n << BigInt(s.length)) : raw;
  let float: number;
  if (s.valueType === 'float32') {
    view.setUint32(0, Number(bits));
    float = view.getFloat32(0);
  } else {
    view.setBigUint64(0, bits);
    float = view.getFloat64(0);
  }
  return toPhysical(conversionKind(s), float, s.scale, s.offset);
}

describe.each(fixtureNames)('every message of %s', (file) => {
  const db = loadFixture(file);
  const codec = new DbcCodec(db);

  it('should be found by (id, extended)', () => {
    for (const m of db.messages) {
      expect(codec.lookup(m.id, m.extended)?.message).toBe(m);
      expect(codec.lookup(m.id, !m.extended)).toBeUndefined();
    }
  });

  it('should decode all-zero, all-0xFF and random frames of its length like the bit-by-bit oracle', () => {
    const random = seededRandom(file.length * 7919);
    for (const m of db.messages) {
      const decoder = codec.lookup(m.id, m.extended)!;
      const frames: Uint8Array[] = [new Uint8Array(m.length), new Uint8Array(m.length).fill(0xff)];
      for (let i = 0; i < 20; i++) frames.push(randomBytes(random, m.length));
      // Frames whose switches select signals, so multiplexed signals are compared too.
      for (let i = 0; i < 20; i++) frames.push(randomFrame(random, m));
      for (const data of frames) {
        const decoded = decoder.decode(data);
        const present = expectedPresent(m, data);
        expect(Object.keys(decoded), m.name).toEqual(
          m.signals.filter((s) => present.has(s.name)).map((s) => s.name),
        );
        for (const s of m.signals) {
          if (!present.has(s.name)) continue;
          expect(decoded[s.name], `${m.name}.${s.name}`).toEqual(expectedValue(s, data));
        }
      }
    }
  });
});
