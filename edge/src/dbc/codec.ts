import type { CanFrame } from '../can/frame.js';
import { compileDecoder, type DecodedSignals, type MessageDecoder } from './decoder.js';
import { compileEncoder, type MessageEncoder } from './encoder.js';
import type { DbcDatabase, DbcMessage } from './model.js';

/** A message's compiled decoder and encoder. */
export interface MessageCodec extends MessageDecoder, MessageEncoder {
  readonly message: DbcMessage;
}

export interface DecodedFrame {
  readonly message: DbcMessage;
  readonly signals: DecodedSignals;
}

const STANDARD_IDS = 0x800;

/**
 * Every message of a database, compiled once, found by (id, extended) in O(1): standard ids
 * index an array, extended ids a Map.
 */
export class DbcCodec {
  private readonly standard: (MessageCodec | undefined)[] = new Array(STANDARD_IDS);
  private readonly extended = new Map<number, MessageCodec>();

  constructor(readonly database: DbcDatabase) {
    for (const message of database.messages) {
      const decoder = compileDecoder(message);
      const encoder = compileEncoder(message);
      const codec: MessageCodec = {
        message,
        decode: decoder.decode,
        decodeRaw: decoder.decodeRaw,
        encode: encoder.encode,
      };
      if (message.extended) this.extended.set(message.id, codec);
      else this.standard[message.id] = codec;
    }
  }

  /** The message with this arbitration id (without flag bits) and frame format. */
  lookup(id: number, extended: boolean): MessageCodec | undefined {
    return extended ? this.extended.get(id) : this.standard[id];
  }

  /**
   * Decodes a data frame to physical values. Undefined when no message has the frame's id,
   * and for remote and error frames (they carry no signal data). Throws FrameTooShortError
   * when the frame is shorter than its message.
   */
  decodeFrame(frame: CanFrame): DecodedFrame | undefined {
    if (frame.remote || frame.error) return undefined;
    const codec = this.lookup(frame.id, frame.extended);
    if (!codec) return undefined;
    return { message: codec.message, signals: codec.decode(frame.data) };
  }
}
