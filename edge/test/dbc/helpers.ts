import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCp1252 } from '../../src/dbc/load.js';
import type { ByteOrder, DbcDatabase, DbcMessage } from '../../src/dbc/model.js';
import { muxTree } from '../../src/dbc/multiplexing.js';
import { parseDbc } from '../../src/dbc/parser.js';

export const fixtureDir = join(import.meta.dirname, '..', 'fixtures', 'dbc');

export const fixtureNames = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.dbc'))
  .sort();

export function fixtureText(name: string): string {
  return decodeCp1252(readFileSync(join(fixtureDir, name)));
}

export function loadFixture(name: string): DbcDatabase {
  return parseDbc(fixtureText(name), name);
}

/** Wraps message/statement lines into a minimal DBC file. */
export function dbc(...lines: string[]): string {
  return ['VERSION ""', '', 'NS_ :', '\tCM_', '', 'BS_:', '', 'BU_: ECU', '', ...lines, ''].join(
    '\n',
  );
}

/** Line of `needle` in `text`, 1-based, for expectations about error lines. */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return text.slice(0, index).split('\n').length;
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/**
 * A deliberately naive reading of the DBC bit convention, bit by bit, as an oracle for the
 * compiled readers. Motorola signals are walked from their MSB the way cantools' Signal._calc_lsb
 * does: after a byte's bit 0 comes bit 7 of the next byte (+15), otherwise the next lower bit.
 */
export function referenceRaw(
  data: Uint8Array,
  startBit: number,
  length: number,
  byteOrder: ByteOrder,
  signed: boolean,
): bigint {
  const bitAt = (b: number) => BigInt(((data[b >> 3] ?? 0) >> (b & 7)) & 1);
  let value = 0n;
  if (byteOrder === 'little_endian') {
    for (let j = length - 1; j >= 0; j--) value = (value << 1n) | bitAt(startBit + j);
  } else {
    let bit = startBit;
    for (let k = 0; k < length; k++) {
      value = (value << 1n) | bitAt(bit);
      bit = bit % 8 === 0 ? bit + 15 : bit - 1;
    }
  }
  if (signed && (value >> BigInt(length - 1)) & 1n) value -= 1n << BigInt(length);
  return value;
}

/** Writes a raw value into the frame bit by bit, the inverse of referenceRaw. */
export function writeReferenceRaw(
  data: Uint8Array,
  startBit: number,
  length: number,
  byteOrder: ByteOrder,
  value: bigint,
): void {
  const bits = value < 0n ? value + (1n << BigInt(length)) : value;
  const setBit = (b: number, on: boolean) => {
    const byte = data[b >> 3] ?? 0;
    data[b >> 3] = on ? byte | (1 << (b & 7)) : byte & ~(1 << (b & 7));
  };
  if (byteOrder === 'little_endian') {
    for (let j = 0; j < length; j++) setBit(startBit + j, ((bits >> BigInt(j)) & 1n) === 1n);
  } else {
    let bit = startBit;
    for (let k = length - 1; k >= 0; k--) {
      setBit(bit, ((bits >> BigInt(k)) & 1n) === 1n);
      bit = bit % 8 === 0 ? bit + 15 : bit - 1;
    }
  }
}

/**
 * Random frame bytes whose multiplexer switches hold values that select signals (random bytes
 * alone rarely do for 8-bit switches), so round trips reach the multiplexed signals.
 */
export function randomFrame(random: () => number, message: DbcMessage): Uint8Array {
  const data = randomBytes(random, message.length);
  const { order } = muxTree(message.signals);
  for (const i of order) {
    const s = message.signals[i]!;
    if (!s.isMultiplexer) continue;
    const ranges = message.signals.flatMap((c) =>
      c.multiplexedBy?.switchName === s.name ? c.multiplexedBy.ranges : [],
    );
    if (ranges.length === 0) continue;
    const r = ranges[Math.floor(random() * ranges.length)]!;
    const value = r.from + Math.floor(random() * Math.min(r.to - r.from + 1, 16));
    writeReferenceRaw(data, s.startBit, s.length, s.byteOrder, BigInt(value));
  }
  return data;
}
