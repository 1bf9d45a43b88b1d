import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** How early a paced frame may go out (the replay sleeps only for longer waits). */
const PACE_SLACK_MS = 4;

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
    const stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: 64 * 1024 });
    this.input = stream;
    this.pump = this.replay(stream);
  }

  /**
   * Reads the log a chunk at a time (async iteration pulls the next chunk only when this one
   * is done, so a paced replay of a long log holds one chunk, not the file) and handles its
   * lines synchronously, awaiting only when a paced frame is not due yet.
   */
  private async replay(stream: ReadStream): Promise<void> {
    let lineNumber = 0;
    let firstLogUs: number | undefined;
    const startUs = epochMicros();
    let rest = '';
    // Synchronous unless a paced frame must wait: a promise per line would cost more than
    // the line itself on a saturated bus.
    const handle = (line: string): boolean | Promise<boolean> => {
      lineNumber++;
      if (line.length === 0 || line.trim() === '') return true;
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
        return true;
      }
      firstLogUs ??= frame.timeUs;
      const sinceFirstUs = frame.timeUs - firstLogUs;
      if (this.pace === 'realtime') {
        const waitMs = (startUs + sinceFirstUs / this.speed - epochMicros()) / 1000;
        // Frames due within the next few milliseconds go now: timers are coarse, and one per
        // frame (a saturated bus has one every ~0.11 ms) would cost more than the frames.
        if (waitMs >= PACE_SLACK_MS) {
          return delay(waitMs, undefined, { signal: this.abort.signal }).then(
            () => this.deliverPaced(frame, startUs + sinceFirstUs),
            () => false, // closed while waiting
          );
        }
      }
      return this.deliverPaced(frame, startUs + sinceFirstUs);
    };
    try {
      reading: for await (const chunk of stream as AsyncIterable<string>) {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const handled = handle(line);
          if (handled === false || (handled !== true && !(await handled))) break reading;
        }
        if (this.closing) break;
      }
      if (rest !== '' && !this.closing) await handle(rest);
    } catch (err) {
      this.readError ??= err as Error;
    }
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

  private deliverPaced(frame: CanFrame, nowTimeUs: number): boolean {
    if (this.closing) return false;
    // The frame was parsed for this delivery and nobody else holds it: restamp it in place
    // rather than copy it, once per frame on a saturated bus.
    if (this.time === 'now') (frame as { timeUs: number }).timeUs = nowTimeUs;
    this.deliver(frame);
    return true;
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
    this.input?.destroy();
    await this.pump;
  }
}
