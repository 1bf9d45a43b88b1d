export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { DecodingSource } from './decoding-source.js';
export { FileLineSource, type FileLineSourceOptions } from './file-line-source.js';
export { type FramedLines, LineFramer } from './line-framer.js';
export type {
  Decoded,
  LineDecoder,
  LineSource,
  LineSourceEvents,
  LineSourceStats,
} from './line-source.js';
export { Pacer } from './pacer.js';
export {
  openSerialPort,
  type PortOpener,
  SerialLineSource,
  type SerialLineSourceOptions,
  type SerialLineSourceState,
  type SerialLineSourceStats,
  type SerialPortLike,
} from './serial-line-source.js';
export { checksumHex, withChecksum, xorChecksum } from './xor-checksum.js';
