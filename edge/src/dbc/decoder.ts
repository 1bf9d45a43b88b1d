import { FrameTooShortError } from '../errors.js';
import { conversionKind, integerToPhysical, type SignalValue } from './conversion.js';
import { compileFieldReader, type FieldReader } from './field-reader.js';
import type { DbcMessage, DbcSignal } from './model.js';
import { inMuxRanges, muxTree } from './multiplexing.js';

/** Signal values by name, in the order the DBC lists the signals. */
export type DecodedSignals = Record<string, SignalValue>;

export interface MessageDecoder {
  readonly message: DbcMessage;
  /**
   * Physical values (raw * scale + offset, see conversion.ts) of the signals present in this
   * frame. Throws FrameTooShortError when `data` is shorter than the message; bytes past the
   * message length are ignored.
   */
  decode(data: Uint8Array): DecodedSignals;
  /** Raw values (the bits as an integer, or the float the bits encode) of the present signals. */
  decodeRaw(data: Uint8Array): DecodedSignals;
}

/**
 * Compiles the decoder of one message: each signal's reader and conversion are fixed once, so
 * decoding a frame is a loop of arithmetic on bytes.
 *
 * Behaviour (cantools database/can/message.py `decode` with its defaults, allow_truncated=False
 * and allow_excess=True, and utils.py `decode_data`):
 *   - a frame shorter than the message length is refused (cantools: DecodeError "Wrong data
 *     size"); a longer one is cut to the message length;
 *   - multiplexed signals are decoded only when every switch above them holds one of their
 *     values. Switches are compared by raw value, the DBC meaning; cantools compares the
 *     scaled value truncated to an integer, which is the same for the unscaled switches real
 *     files use;
 *   - a switch value that selects nothing yields the switch and the unconditional signals
 *     (cantools raises DecodeError "expected multiplexer id ..." here instead);
 *   - value tables are not applied: decoding returns numbers.
 */
export function compileDecoder(message: DbcMessage): MessageDecoder {
  const signals = message.signals;
  const count = signals.length;
  const names = signals.map((s) => s.name);
  const rawReaders = signals.map((s) => compileFieldReader(s));
  const physicalReaders = signals.map((s, i) => physicalReader(s, rawReaders[i]!));
  const presence = compilePresence(signals, rawReaders);
  const length = message.length;

  const checkLength = (data: Uint8Array) => {
    if (data.length < length) {
      throw new FrameTooShortError(
        `frame has ${data.length} data byte${data.length === 1 ? '' : 's'}, BO_ ${message.name} needs ${length}`,
        { message: message.name, length: data.length, expected: length },
      );
    }
  };

  // A signal may be called __proto__ (a valid DBC name); only a prototype-less record keeps it.
  const newRecord: () => DecodedSignals = names.includes('__proto__')
    ? () => Object.create(null)
    : () => ({});

  const run = (data: Uint8Array, readers: readonly FieldReader[]): DecodedSignals => {
    checkLength(data);
    const out = newRecord();
    if (presence === undefined) {
      for (let i = 0; i < count; i++) out[names[i]!] = readers[i]!(data);
      return out;
    }
    const present = presence(data);
    for (let i = 0; i < count; i++) if (present[i] === 1) out[names[i]!] = readers[i]!(data);
    return out;
  };

  return {
    message,
    decode: (data) => run(data, physicalReaders),
    decodeRaw: (data) => run(data, rawReaders),
  };
}

function physicalReader(signal: DbcSignal, raw: FieldReader): FieldReader {
  const { scale, offset } = signal;
  switch (conversionKind(signal)) {
    case 'identity':
      return raw;
    case 'integer':
      return (data) => integerToPhysical(raw(data), scale, offset);
    case 'linear':
      return (data) => Number(raw(data)) * scale + offset;
  }
}

/**
 * For a multiplexed message, a function marking which signals a frame carries (1 = present);
 * undefined when every signal is always present. Switches are evaluated parents first, so a
 * nested switch is only read when its own switch selects it.
 */
function compilePresence(
  signals: readonly DbcSignal[],
  rawReaders: readonly FieldReader[],
): ((data: Uint8Array) => Uint8Array) | undefined {
  if (!signals.some((s) => s.multiplexedBy)) return undefined;
  const { parent, order } = muxTree(signals);
  const ranges = signals.map((s) => s.multiplexedBy?.ranges ?? []);
  const isSwitch = signals.map((s) => s.isMultiplexer);

  const present = new Uint8Array(signals.length);
  const switchValue = new Float64Array(signals.length);
  return (data) => {
    for (const i of order) {
      const p = parent[i]!;
      const on = p < 0 || (present[p] === 1 && inMuxRanges(switchValue[p]!, ranges[i]!));
      present[i] = on ? 1 : 0;
      if (on && isSwitch[i]) {
        switchValue[i] = Number(rawReaders[i]!(data));
      }
    }
    return present;
  };
}
