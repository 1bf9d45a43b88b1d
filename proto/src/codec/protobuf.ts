// Decoding 64-bit fields as plain numbers depends on this running before the first decode.
import '../runtime.js';
import { MalformedMessageError } from '../errors.js';

/**
 * The edge between the generated protobuf code and the contract's codecs: bytes that are not
 * protobuf become a MalformedMessageError naming the message, and wire enum values are
 * mapped back to the names the codecs use.
 */

/** Decodes `bytes` as the generated message `type`; throws MalformedMessageError naming `name`. */
export function decodeWith<T>(
  type: { decode(reader: Uint8Array): T },
  bytes: Uint8Array,
  name: string,
): T {
  try {
    return type.decode(bytes);
  } catch (err) {
    throw new MalformedMessageError(
      `payload (${bytes.length} bytes) is not a valid ${name}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * The name `codes` gives a wire enum value; undefined for a value it does not list (the
 * UNSPECIFIED 0, or a value from a newer schema).
 */
export function nameOf<K extends string, V>(codes: Record<K, V>, value: V): K | undefined {
  for (const k in codes) if (codes[k] === value) return k;
  return undefined;
}
