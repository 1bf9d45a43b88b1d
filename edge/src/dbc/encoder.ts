import { DbcEncodeError } from '../errors.js';
import { bitChunks } from './bit-layout.js';
import { conversionKind, type SignalValue, toRaw } from './conversion.js';
import type { DbcMessage, DbcSignal, MuxRange } from './model.js';
import { inMuxRanges, muxTree } from './multiplexing.js';

/** Physical values by signal name; a string is a label from the signal's value table. */
export type EncodeInput = Readonly<Record<string, SignalValue | string>>;

export interface EncodeOptions {
  /**
   * cantools' `strict` (its default, and ours): the input must name exactly the signals this
   * frame carries, and each value must lie within the signal's [min|max] (with cantools'
   * tolerance of |scale| * 1e-6; values found in the value table are exempt).
   */
  readonly strict?: boolean;
  /** Clamp a raw value that does not fit the signal's bits instead of throwing. */
  readonly clamp?: boolean;
}

export interface MessageEncoder {
  readonly message: DbcMessage;
  /** The frame bytes (message length, unused bits 0). Throws DbcEncodeError. */
  encode(values: EncodeInput, options?: EncodeOptions): Uint8Array;
}

/**
 * Compiles the encoder of one message, the inverse of decoder.ts, following cantools'
 * Message.encode (database/can/message.py) and numeric_scaled_to_raw (conversion.py):
 *   - raw = round((physical - offset) / scale), ties to even (Python's round), for integer
 *     signals; float signals store (physical - offset) / scale as float32/float64 bits;
 *   - only the signals the switch values select are encoded; a switch value that selects no
 *     signal and has no value-table entry is refused, as cantools does;
 *   - overlapping signals are OR-ed together, as cantools' bit layers are;
 *   - a raw value outside the signal's bits is refused (bitstruct raises there), or clamped
 *     when asked.
 */
export function compileEncoder(message: DbcMessage): MessageEncoder {
  const signals = message.signals;
  const plans = signals.map((s) => compileSignalWriter(message, s));
  const index = new Map(signals.map((s, i) => [s.name, i]));
  const { parent, order } = muxTree(signals);
  const selectable = signals.map((s) => {
    if (!s.isMultiplexer) return [] as MuxRange[];
    const ranges = signals.flatMap((c) =>
      c.multiplexedBy?.switchName === s.name ? c.multiplexedBy.ranges : [],
    );
    for (const raw of s.valueTable?.keys() ?? []) ranges.push({ from: raw, to: raw });
    return ranges;
  });

  const encode = (values: EncodeInput, options: EncodeOptions = {}): Uint8Array => {
    const strict = options.strict ?? true;
    const needed = new Uint8Array(signals.length);
    const raws: SignalValue[] = new Array(signals.length);
    const switchRaw = new Float64Array(signals.length);
    for (const i of order) {
      const p = parent[i]!;
      const signal = signals[i]!;
      if (p >= 0) {
        if (needed[p] !== 1) continue;
        if (!inMuxRanges(switchRaw[p]!, signal.multiplexedBy!.ranges)) continue;
      }
      needed[i] = 1;
      const value = Object.hasOwn(values, signal.name) ? values[signal.name] : undefined;
      if (value === undefined) {
        throw new DbcEncodeError(
          `BO_ ${message.name}: signal ${signal.name} is required to encode this frame`,
          { message: message.name, signal: signal.name },
        );
      }
      const plan = plans[i]!;
      const raw = plan.toRaw(value, strict);
      raws[i] = plan.fit(raw, options.clamp === true);
      if (signal.isMultiplexer) {
        switchRaw[i] = Number(raws[i]);
        // A switch nothing depends on selects nothing and is not checked (cantools builds no
        // multiplexer entry for it).
        const ranges = selectable[i]!;
        if (ranges.length > 0 && !inMuxRanges(switchRaw[i]!, ranges)) {
          throw new DbcEncodeError(
            `BO_ ${message.name}: switch ${signal.name} = ${raws[i]} selects no signal (expected ${describeRanges(ranges)})`,
            { message: message.name, signal: signal.name },
          );
        }
      }
    }
    if (strict) {
      const extra = Object.keys(values).filter((name) => {
        const i = index.get(name);
        return i === undefined || needed[i] !== 1;
      });
      if (extra.length > 0) {
        throw new DbcEncodeError(
          `BO_ ${message.name}: ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not carried by this frame (strict encoding)`,
          { message: message.name, signals: extra },
        );
      }
    }
    const bytes = new Uint8Array(message.length);
    for (let i = 0; i < signals.length; i++) if (needed[i] === 1) plans[i]!.write(bytes, raws[i]!);
    return bytes;
  };

  return { message, encode };
}

interface SignalWriter {
  /** Input value -> raw value (label lookup, conversion, strict range check). */
  toRaw(value: SignalValue | string, strict: boolean): SignalValue;
  /** Checks (or clamps) that the raw value fits the signal's bits. */
  fit(raw: SignalValue, clamp: boolean): SignalValue;
  write(bytes: Uint8Array, raw: SignalValue): void;
}

const scratch = new DataView(new ArrayBuffer(8));
const MAX_FLOAT32 = 3.4028234663852886e38;

function compileSignalWriter(message: DbcMessage, signal: DbcSignal): SignalWriter {
  const { name, length, signed, scale, offset, minimum, maximum, valueTable } = signal;
  const where = `BO_ ${message.name} signal ${name}`;
  const details = { message: message.name, signal: name };
  const kind = conversionKind(signal);
  const isFloat = signal.valueType !== 'integer';
  const labels = new Map<string, number>();
  for (const [raw, label] of valueTable ?? []) labels.set(label, raw);
  const tolerance = Math.abs(scale) * 1e-6;

  const toRawValue = (value: SignalValue | string, strict: boolean): SignalValue => {
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

  const chunks = bitChunks(signal.startBit, length, signal.byteOrder);
  const writeWords = (bytes: Uint8Array, low: number, high: number) => {
    for (const c of chunks) {
      const word = c.valueBit < 32 ? low : high;
      const part = Math.floor(word / 2 ** (c.valueBit % 32)) & c.mask;
      bytes[c.byte]! |= part << c.shift;
    }
  };

  if (isFloat) {
    const single = signal.valueType === 'float32';
    return {
      toRaw: toRawValue,
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

  const min = signed ? -(2n ** BigInt(length - 1)) : 0n;
  const max = (signed ? 2n ** BigInt(length - 1) : 2n ** BigInt(length)) - 1n;
  const full = 2n ** BigInt(length);
  const [minNumber, maxNumber] = [Number(min), Number(max)];
  return {
    toRaw: toRawValue,
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

function describeRanges(ranges: readonly MuxRange[]): string {
  return [...ranges]
    .sort((a, b) => a.from - b.from)
    .map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`))
    .join(', ');
}
