import type { ByteOrder } from './model.js';

/**
 * Where a signal's bits sit in the frame, in DBC bit numbering.
 *
 * DBC numbers bits "sawtooth" style: bit b is bit (b % 8) of byte (b / 8), LSB = 0.
 *   - Little-endian (Intel, `@1`): the start bit is the signal's LSB; value bit j is frame bit
 *     start + j.
 *   - Big-endian (Motorola, `@0`): the start bit is the signal's MSB. Counting the frame
 *     MSB-first ("network" order: byte 0 bit 7 = 0, byte 0 bit 0 = 7, byte 1 bit 7 = 8 ...),
 *     the MSB sits at 8 * (start / 8) + 7 - (start % 8) and the signal runs forward from there.
 * This is cantools' convention (database/utils.py start_bit / sawtooth_to_network_bitnum; the
 * diagrams in database/can/signal.py) and Vector's.
 */

/** A run of value bits held by one byte: value bits valueBit .. valueBit + width - 1. */
export interface BitChunk {
  readonly byte: number;
  /** Position of the run's lowest bit inside the byte (0 = LSB). */
  readonly shift: number;
  readonly width: number;
  /** (1 << width) - 1. */
  readonly mask: number;
  /** Which bit of the signal's value the run starts at (0 = the value's LSB). */
  readonly valueBit: number;
}

/** The MSB-first ("network") position of a big-endian signal's first bit. */
export function networkStartBit(startBit: number): number {
  return 8 * Math.floor(startBit / 8) + 7 - (startBit % 8);
}

/** How many bits of the frame the signal needs, counted in its own direction. */
export function bitsNeeded(startBit: number, length: number, byteOrder: ByteOrder): number {
  return (byteOrder === 'little_endian' ? startBit : networkStartBit(startBit)) + length;
}

/**
 * The byte runs of a signal, value LSB first. Runs never cross value bit 32, so a 33..64-bit
 * value can be assembled as two 32-bit halves (see decoder.ts and encoder.ts).
 */
export function bitChunks(startBit: number, length: number, byteOrder: ByteOrder): BitChunk[] {
  const chunks: BitChunk[] = [];
  const msbNetwork = networkStartBit(startBit);
  let current: { byte: number; shift: number; width: number; valueBit: number } | undefined;
  for (let j = 0; j < length; j++) {
    let byte: number;
    let pos: number;
    if (byteOrder === 'little_endian') {
      byte = (startBit + j) >> 3;
      pos = (startBit + j) & 7;
    } else {
      const network = msbNetwork + (length - 1 - j);
      byte = network >> 3;
      pos = 7 - (network & 7);
    }
    if (current && current.byte === byte && current.shift + current.width === pos && j !== 32) {
      current.width++;
    } else {
      if (current) chunks.push({ ...current, mask: (1 << current.width) - 1 });
      current = { byte, shift: pos, width: 1, valueBit: j };
    }
  }
  if (current) chunks.push({ ...current, mask: (1 << current.width) - 1 });
  return chunks;
}

/** True when two chunk lists share at least one frame bit. */
export function chunksOverlap(a: readonly BitChunk[], b: readonly BitChunk[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.byte === y.byte && ((x.mask << x.shift) & (y.mask << y.shift)) !== 0) return true;
    }
  }
  return false;
}
