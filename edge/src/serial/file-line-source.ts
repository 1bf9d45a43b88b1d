import type { ReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SerialUnavailableError } from '../errors.js';
import { DecodingSource } from './decoding-source.js';
import { LineFramer } from './line-framer.js';
import type { Decoded, LineDecoder } from './line-source.js';
import { Pacer } from './pacer.js';

export interface FileLineSourceOptions {
  readonly file: string;
  readonly decoder: LineDecoder;
  /** Defaults to `replay:<file name>`. */
  readonly name?: string;
  /**
   * 0 or absent: as fast as possible. Otherwise readings are paced by their timestamps:
   * 1 is real time, 10 is ten times faster (see Pacer for gaps and backward jumps).
   */
  readonly pace?: number;
  readonly maxPauseMs?: number;
  /** Lines starting with this (after leading blanks) are comments; gpsd captures use `#`. */
  readonly commentPrefix?: string;
  readonly maxLineBytes?: number;
}

/**
 * Replays a capture file through a decoder, emitting the same events as the live source and
 * `end` when the file is exhausted. Lines are decoded without a receive time (the host clock
 * of a replay says nothing about when the data was measured).
 */
export class FileLineSource extends DecodingSource {
  private readonly options: FileLineSourceOptions;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(options: FileLineSourceOptions) {
    super(options.name ?? `replay:${basename(options.file)}`, options.decoder);
    this.options = options;
  }

  /** Resolves when the replay has finished (or was closed); rejects only if open() did. */
  get done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Opens the file (rejecting if it cannot be read) and starts the replay in the background. */
  async open(): Promise<void> {
    if (this.running) return;
    let handle: Awaited<ReturnType<typeof openFile>>;
    try {
      handle = await openFile(this.options.file, 'r');
    } catch (err) {
      throw new SerialUnavailableError(
        `cannot open replay file ${this.options.file}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    this.running = this.replay(handle.createReadStream());
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async replay(stream: ReadStream): Promise<void> {
    const framer = new LineFramer(this.options.maxLineBytes);
    const pace = this.options.pace ?? 0;
    const pacer = pace > 0 ? new Pacer(pace, this.options.maxPauseMs) : undefined;
    const comment = this.options.commentPrefix ?? '#';
    const signal = this.abort.signal;
    try {
      for await (const chunk of stream) {
        if (signal.aborted) break;
        const framed = framer.push(chunk as Buffer);
        for (let i = 0; i < framed.overlong; i++)
          this.refuse(this.decoder.tooLong(framer.maxLineBytes));
        for (const line of framed.lines) {
          if (signal.aborted) break;
          if (comment && line.trimStart().startsWith(comment)) continue;
          await this.emitPaced(this.decodeLine(line), pacer);
        }
        if (signal.aborted) break;
      }
      if (!signal.aborted) {
        for (const line of framer.end().lines) {
          if (comment && line.trimStart().startsWith(comment)) continue;
          await this.emitPaced(this.decodeLine(line), pacer);
        }
      }
    } catch (err) {
      // A read error ends the replay early; it is counted like a refused line, never thrown
      // from the background task (nobody may be awaiting `done`).
      this.refuse(err instanceof Error ? err : new Error(String(err)));
    } finally {
      stream.destroy();
    }
    // Closed early or not, what the decoder still holds is emitted, like a live source's
    // close; paced like the rest (the last GNSS epoch only completes here).
    await this.emitPaced(
      this.guard(() => this.decoder.end()),
      pacer,
    );
    this.emit('end');
  }

  private async emitPaced(decoded: Decoded, pacer: Pacer | undefined): Promise<void> {
    for (const error of decoded.errors) this.refuse(error);
    for (const reading of decoded.readings) {
      const wait = pacer?.delayFor(reading.timeUs, Date.now()) ?? 0;
      if (wait > 0) {
        try {
          await delay(wait, undefined, { signal: this.abort.signal });
        } catch {
          // Aborted by close(): emit the rest without waiting.
        }
      }
      this.emitReading(reading);
    }
  }
}
