import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CanLineError,
  CanSendUnsupportedError,
  CanSourceUnavailableError,
  EdgeConfigError,
} from '../errors.js';
import { parseCandumpLine } from './candump-format.js';
import type { CanFrame } from './frame.js';
import type { CanSource } from './source.js';
import { CanSourceBase, epochMicros } from './source-base.js';

export interface CandumpReplayOptions {
  /** A `candump -L` (or `candump -l`) log file. */
  path: string;
  /**
   * `fast` (default): frames go out as fast as they are read. `realtime`: each frame waits
   * until its log time, measured from the first frame, has come round again.
   */
  pace?: 'fast' | 'realtime';
  /** Real-time pacing sped up (2 = twice as fast) or slowed down (0.5). Default 1. */
  speed?: number;
  /**
   * `log` (default): frames keep the time they were logged at. `now`: times are shifted so
   * the first frame is stamped with the moment replay started, for feeding a live pipeline.
   */
  time?: 'log' | 'now';
}

/**
 * Replays a candump log as a CAN source. The file is streamed line by line, so a log of
 * any size replays in constant memory. Lines that do not parse are counted errors naming
 * their line number; blank lines are skipped. `end` follows the last line. Cannot send.
 */
export class CandumpReplaySource extends CanSourceBase implements CanSource {
  readonly name: string;
  readonly canSend = false;
  private readonly path: string;
  private readonly pace: 'fast' | 'realtime';
  private readonly speed: number;
  private readonly time: 'log' | 'now';
  private readonly abort = new AbortController();
  private lines: Interface | undefined;
  private input: ReadStream | undefined;
  private readError: Error | undefined;
  private pump: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: CandumpReplayOptions) {
    super();
    this.path = options.path;
    this.pace = options.pace ?? 'fast';
    this.speed = options.speed ?? 1;
    this.time = options.time ?? 'log';
    const problems: string[] = [];
    if (!this.path) problems.push('path: name the candump log file');
    if (this.pace !== 'fast' && this.pace !== 'realtime') {
      problems.push(`pace: "${this.pace}" is neither "fast" nor "realtime"`);
    }
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) {
      problems.push(`speed: ${this.speed} must be a positive number`);
    }
    if (this.time !== 'log' && this.time !== 'now') {
      problems.push(`time: "${this.time}" is neither "log" nor "now"`);
    }
    if (problems.length > 0) {
      throw new EdgeConfigError(`invalid candump replay options: ${problems.join('; ')}`, problems);
    }
    this.name = `candump:${this.path}`;
  }

  /** Opens the file (CanSourceUnavailableError when it cannot be read) and starts replay. */
  open(): Promise<void> {
    this.opening ??= this.runOpen();
    return this.opening;
  }

  private async runOpen(): Promise<void> {
    if (this.closing) throw new CanSourceUnavailableError(`${this.name} is closed`);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      throw new CanSourceUnavailableError(
        `cannot read candump log ${this.path}: ${(err as Error).message}`,
        { path: this.path, cause: err },
      );
    }
    if (this.closing) {
      await handle.close();
      throw new CanSourceUnavailableError(`${this.name} was closed while opening`);
    }
    // The stream owns the handle from here and closes it at the end or on destroy().
    const stream = handle.createReadStream({ encoding: 'utf8' });
    this.input = stream;
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    this.lines = lines;
    // A read error or a destroyed stream must end the line loop, not leave it waiting.
    stream.once('error', (err) => {
      this.readError = err;
      lines.close();
    });
    stream.once('close', () => lines.close());
    this.pump = this.replay(lines);
  }

  private async replay(lines: Interface): Promise<void> {
    let lineNumber = 0;
    let firstLogUs: number | undefined;
    const startUs = epochMicros();
    try {
      for await (const line of lines) {
        lineNumber++;
        if (this.closing) break;
        if (line.trim() === '') continue;
        let frame: CanFrame;
        try {
          frame = parseCandumpLine(line).frame;
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          this.report(
            new CanLineError(`${this.path}:${lineNumber}: ${why}`, {
              file: this.path,
              line: lineNumber,
              cause: err,
            }),
          );
          continue;
        }
        firstLogUs ??= frame.timeUs;
        const sinceFirstUs = frame.timeUs - firstLogUs;
        if (this.pace === 'realtime') {
          const waitMs = (startUs + sinceFirstUs / this.speed - epochMicros()) / 1000;
          if (waitMs > 0) {
            try {
              await delay(waitMs, undefined, { signal: this.abort.signal });
            } catch {
              break; // closed while waiting
            }
          }
        }
        if (this.closing) break;
        this.deliver(this.time === 'now' ? { ...frame, timeUs: startUs + sinceFirstUs } : frame);
      }
    } catch (err) {
      // readline passes on the file stream's error on some Node versions
      this.readError ??= err as Error;
    }
    lines.close();
    if (this.closing) return;
    if (this.readError) {
      this.report(
        new CanSourceUnavailableError(`reading ${this.path} failed: ${this.readError.message}`, {
          path: this.path,
          cause: this.readError,
        }),
      );
    }
    this.finish();
  }

  async send(_frame: CanFrame): Promise<void> {
    throw new CanSendUnsupportedError(this.name);
  }

  /** Stops replay and closes the file; idempotent. No `end` is emitted for a close. */
  close(): Promise<void> {
    this.closed ??= this.runClose();
    return this.closed;
  }

  private async runClose(): Promise<void> {
    this.closing = true;
    this.abort.abort();
    await this.opening?.catch(() => {});
    this.lines?.close();
    this.input?.destroy();
    await this.pump;
  }
}
