import { crc32 } from './crc32.js';

/**
 * On-disk framing of one spooled message:
 *
 *   u32 LE  body length
 *   u32 LE  CRC-32 of the body
 *   body:   u64 LE seq | u64 LE created (epoch ms) | payload (the encoded protobuf message)
 *
 * A record whose length runs past the end of the file or whose CRC does not match is a torn
 * write (power cut mid-append) or damage; readers stop there.
 */

export const HEADER_BYTES = 8;
const BODY_FIXED = 16;

export interface SpoolRecord {
  readonly seq: number;
  readonly createdMs: number;
  readonly payload: Uint8Array;
}

export function encodeRecord(r: SpoolRecord): Buffer {
  const body = Buffer.allocUnsafe(BODY_FIXED + r.payload.length);
  body.writeBigUInt64LE(BigInt(r.seq), 0);
  body.writeBigUInt64LE(BigInt(r.createdMs), 8);
  body.set(r.payload, BODY_FIXED);
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body), 4);
  body.copy(out, HEADER_BYTES);
  return out;
}

export interface ScanResult {
  records: { record: SpoolRecord; offset: number; length: number }[];
  /** Bytes of the buffer that hold whole, valid records. */
  validBytes: number;
  /** Why the scan stopped before the end, if it did. */
  damage?: string;
}

/** Reads records from the start of a segment until the end or the first bad record. */
export function scanRecords(buf: Buffer, maxBodyBytes: number): ScanResult {
  const records: ScanResult['records'] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < HEADER_BYTES) {
      return { records, validBytes: offset, damage: `partial header at byte ${offset}` };
    }
    const length = buf.readUInt32LE(offset);
    const crc = buf.readUInt32LE(offset + 4);
    if (length < BODY_FIXED || length > maxBodyBytes) {
      return {
        records,
        validBytes: offset,
        damage: `impossible record length ${length} at byte ${offset}`,
      };
    }
    const start = offset + HEADER_BYTES;
    if (start + length > buf.length) {
      return { records, validBytes: offset, damage: `record at byte ${offset} runs past the end` };
    }
    if (crc32(buf, start, start + length) !== crc) {
      return { records, validBytes: offset, damage: `checksum mismatch at byte ${offset}` };
    }
    const seq = Number(buf.readBigUInt64LE(start));
    const createdMs = Number(buf.readBigUInt64LE(start + 8));
    const payload = new Uint8Array(buf.subarray(start + BODY_FIXED, start + length));
    records.push({ record: { seq, createdMs, payload }, offset, length: HEADER_BYTES + length });
    offset = start + length;
  }
  return { records, validBytes: offset };
}
