export { DbcEncodeError } from '../errors.js';
export { type BitChunk, bitChunks, networkStartBit } from './bit-layout.js';
export { DbcCodec, type DecodedFrame, type MessageCodec } from './codec.js';
export {
  type ConversionKind,
  conversionKind,
  roundHalfEven,
  type SignalValue,
  toPhysical,
  toRaw,
} from './conversion.js';
export { compileDecoder, type DecodedSignals, type MessageDecoder } from './decoder.js';
export {
  compileEncoder,
  type EncodeInput,
  type EncodeOptions,
  type MessageEncoder,
} from './encoder.js';
export { decodedSignalsJson, signalValueJson } from './json.js';
export { decodeCp1252, loadDbcFile } from './load.js';
export type * from './model.js';
export { parseDbc } from './parser.js';
