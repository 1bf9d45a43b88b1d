/**
 * Splits a byte stream into text lines. Pure: no I/O, no timers.
 *
 * Why not serialport's ReadlineParser: it buffers without bound until it sees the delimiter,
 * so a device that sends noise without line breaks would grow memory forever; and it only
 * splits on one delimiter. Here CR and LF both end a line (NMEA 0183 mandates CR LF, but
 * receivers and logs use LF alone, and some old ones CR alone), empty lines are dropped, and a
 * line longer than `maxLineBytes` is discarded up to its end and reported once.
 *
 * Bytes become characters one to one (latin1), so a checksum over the text is a checksum
 * over the bytes, and NUL or non-ASCII bytes stay visible to the decoder, which refuses them.
 */
export interface FramedLines {
  readonly lines: string[];
  /** How many over-long lines were discarded. */
  readonly overlong: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineFramer {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  /** True while the rest of an over-long line is being skipped. */
  private discarding = false;

  constructor(readonly maxLineBytes = 1024) {}

  push(chunk: Uint8Array): FramedLines {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let overlong = 0;
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b !== LF && b !== CR) continue;
      overlong += this.append(bytes.subarray(start, i));
      start = i + 1;
      const line = this.take();
      if (line !== undefined) lines.push(line);
    }
    overlong += this.append(bytes.subarray(start));
    return { lines, overlong };
  }

  /** End of input: the last line may lack its terminator. */
  end(): FramedLines {
    const line = this.take();
    return { lines: line === undefined ? [] : [line], overlong: 0 };
  }

  /** Forgets a partial line (the device went away mid-line). */
  reset(): void {
    this.parts = [];
    this.pendingBytes = 0;
    this.discarding = false;
  }

  /** Adds bytes to the current line; returns 1 when this makes the line over-long. */
  private append(bytes: Buffer): number {
    if (this.discarding || bytes.length === 0) return 0;
    this.parts.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
    if (this.pendingBytes <= this.maxLineBytes) return 0;
    this.parts = [];
    this.pendingBytes = 0;
    this.discarding = true;
    return 1;
  }

  /** Ends the current line; undefined for an empty one or the tail of an over-long one. */
  private take(): string | undefined {
    if (this.discarding) {
      this.discarding = false;
      return undefined;
    }
    if (this.pendingBytes === 0) return undefined;
    const line = Buffer.concat(this.parts, this.pendingBytes).toString('latin1');
    this.parts = [];
    this.pendingBytes = 0;
    return line;
  }
}
