import { DbcEncodeError } from '../errors.js';
import type { SignalValue } from './conversion.js';
import type { DbcMessage, MuxRange } from './model.js';
import { inMuxRanges, muxTree } from './multiplexing.js';
import { compileSignalWriter } from './signal-writer.js';

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

function describeRanges(ranges: readonly MuxRange[]): string {
  return [...ranges]
    .sort((a, b) => a.from - b.from)
    .map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`))
    .join(', ');
}
