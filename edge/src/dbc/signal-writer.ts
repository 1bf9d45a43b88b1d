import { DbcEncodeError } from '../errors.js';
import { type BitChunk, bitChunks } from './bit-layout.js';
import { conversionKind, type SignalValue, toRaw } from './conversion.js';
import type { DbcMessage, DbcSignal } from './model.js';

/** One signal's part of a message encoder (encoder.ts): a value in, its bits in the frame. */
export interface SignalWriter {
  /** Input value -> raw value (label lookup, conversion, strict range check). */
  toRaw(value: SignalValue | string, strict: boolean): SignalValue;
  /** Checks (or clamps) that the raw value fits the signal's bits. */
  fit(raw: SignalValue, clamp: boolean): SignalValue;
  write(bytes: Uint8Array, raw: SignalValue): void;
}

/** Where a problem is, for the messages and details of DbcEncodeError. */
interface Place {
  where: string;
  details: { message: string; signal: string };
}

const scratch = new DataView(new ArrayBuffer(8));
const MAX_FLOAT32 = 3.4028234663852886e38;

export function compileSignalWriter(message: DbcMessage, signal: DbcSignal): SignalWriter {
  const at: Place = {
    where: `BO_ ${message.name} signal ${signal.name}`,
    details: { message: message.name, signal: signal.name },
  };
  const toRawValue = compileToRaw(signal, at);
  const chunks = bitChunks(signal.startBit, signal.length, signal.byteOrder);
  const field =
    signal.valueType === 'integer'
      ? integerField(signal, chunks, at)
      : floatField(signal.valueType === 'float32', chunks, at);
  return { toRaw: toRawValue, ...field };
}

/**
 * A physical value (or a label of the value table) to the raw value, refusing what has no raw
 * value and, when strict, what lies outside [min|max] by more than cantools' tolerance of
 * |scale| * 1e-6 (values found in the value table are exempt).
 */
function compileToRaw(signal: DbcSignal, at: Place): SignalWriter['toRaw'] {
  const { scale, offset, minimum, maximum, valueTable } = signal;
  const { where, details } = at;
  const kind = conversionKind(signal);
  const isFloat = signal.valueType !== 'integer';
  const labels = new Map<string, number>();
  for (const [raw, label] of valueTable ?? []) labels.set(label, raw);
  const tolerance = Math.abs(scale) * 1e-6;

  return (value, strict) => {
    if (typeof value === 'string') {
      const raw = labels.get(value);
      if (raw === undefined) {
        throw new DbcEncodeError(`${where}: "${value}" is not in its value table`, details);
      }
      return raw;
    }
    const raw = toRaw(kind, value, scale, offset, isFloat);
    if (raw === undefined) {
      throw new DbcEncodeError(
        scale === 0
          ? `${where}: scale 0 cannot be inverted`
          : `${where}: ${value} has no integer raw value`,
        details,
      );
    }
    if (strict && !(valueTable && typeof raw === 'number' && valueTable.has(raw))) {
      const physical = Number(value);
      if (minimum !== undefined && physical < minimum - tolerance) {
        throw new DbcEncodeError(`${where}: ${value} is below its minimum ${minimum}`, details);
      }
      if (maximum !== undefined && physical > maximum + tolerance) {
        throw new DbcEncodeError(`${where}: ${value} is above its maximum ${maximum}`, details);
      }
    }
    return raw;
  };
}

/** ORs a value given as its low and high 32-bit words into the frame, chunk by chunk. */
function wordWriter(chunks: readonly BitChunk[]) {
  return (bytes: Uint8Array, low: number, high: number) => {
    for (const c of chunks) {
      const word = c.valueBit < 32 ? low : high;
      const part = Math.floor(word / 2 ** (c.valueBit % 32)) & c.mask;
      bytes[c.byte]! |= part << c.shift;
    }
  };
}

/** An IEEE float32 or float64 field (SIG_VALTYPE_ 1 or 2). */
function floatField(
  single: boolean,
  chunks: readonly BitChunk[],
  { where, details }: Place,
): Pick<SignalWriter, 'fit' | 'write'> {
  const writeWords = wordWriter(chunks);
  return {
    fit: (raw, clamp) => {
      const x = Number(raw);
      if (
        single &&
        Number.isFinite(x) &&
        Math.abs(x) > MAX_FLOAT32 &&
        !Number.isFinite(Math.fround(x))
      ) {
        if (!clamp) throw new DbcEncodeError(`${where}: ${x} does not fit a float32`, details);
        return Math.sign(x) * MAX_FLOAT32;
      }
      return x;
    },
    write: (bytes, raw) => {
      if (single) {
        scratch.setFloat32(0, Number(raw));
        writeWords(bytes, scratch.getUint32(0), 0);
      } else {
        scratch.setFloat64(0, Number(raw));
        writeWords(bytes, scratch.getUint32(4), scratch.getUint32(0));
      }
    },
  };
}

/** An integer field of 1 to 64 bits, two's complement when signed. */
function integerField(
  { length, signed }: DbcSignal,
  chunks: readonly BitChunk[],
  { where, details }: Place,
): Pick<SignalWriter, 'fit' | 'write'> {
  const writeWords = wordWriter(chunks);
  const min = signed ? -(2n ** BigInt(length - 1)) : 0n;
  const max = (signed ? 2n ** BigInt(length - 1) : 2n ** BigInt(length)) - 1n;
  const full = 2n ** BigInt(length);
  const [minNumber, maxNumber] = [Number(min), Number(max)];
  return {
    fit: (raw, clamp) => {
      // Number bounds are exact up to 53 bits; wider fields compare as bigint.
      if (typeof raw === 'number' && length <= 53 && raw >= minNumber && raw <= maxNumber) {
        return raw;
      }
      const big = BigInt(raw);
      if (big >= min && big <= max) return raw;
      if (!clamp) {
        throw new DbcEncodeError(
          `${where}: raw value ${raw} does not fit ${length} ${signed ? 'signed' : 'unsigned'} bits (${min}..${max})`,
          details,
        );
      }
      const clamped = big < min ? min : max;
      return clamped >= -9007199254740991n && clamped <= 9007199254740991n
        ? Number(clamped)
        : clamped;
    },
    write: (bytes, raw) => {
      if (typeof raw === 'number' && length <= 53) {
        const u = raw < 0 ? raw + 2 ** length : raw;
        for (const c of chunks) {
          bytes[c.byte]! |= (Math.floor(u / 2 ** c.valueBit) & c.mask) << c.shift;
        }
        return;
      }
      let u = BigInt(raw);
      if (u < 0n) u += full;
      writeWords(bytes, Number(u & 0xffffffffn), Number(u >> 32n));
    },
  };
}
