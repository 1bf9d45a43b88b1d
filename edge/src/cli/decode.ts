import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { parseCandumpLine } from '../can/candump-format.js';
import type { CanFrame } from '../can/frame.js';
import { DbcCodec } from '../dbc/codec.js';
import { decodedSignalsJson } from '../dbc/json.js';
import { loadDbcFile } from '../dbc/load.js';
import type { DbcDatabase } from '../dbc/model.js';
import { CanLineError, DbcError, FrameTooShortError } from '../errors.js';
import type { CliIo } from './main.js';

/**
 * `fleetline-edge decode --dbc FILE [LOG|-]`: decodes a `candump -L` log with a DBC file and
 * prints one JSON object per decoded frame:
 *
 *   {"t":1436509052.249713,"id":740,"message":"STEERING_LKA","signals":{"STEER_REQUEST":1,...}}
 *
 * `t` is the log's timestamp with the digits as logged, `id` the arbitration id without flag
 * bits, `signals` the physical values in DBC order (numbers, not value-table labels; only
 * the signals a multiplexed frame carries; integers past 2^53 with all their digits).
 *
 * Lines that cannot be decoded (unknown id, frame shorter than its message, remote or error
 * frame, not a candump line) are reported on stderr as `line N: why` and skipped. Blank lines
 * and `#` comments are skipped silently. The log is streamed chunk by chunk, and each chunk's
 * output is written (waiting for the reader) before the next is read, so memory stays flat
 * for any log size and a live `candump -L can0 | fleetline-edge decode ... -` prints as it
 * goes.
 *
 * Exit codes: 0 when the log was read to its end (skipped lines included), 1 when the DBC
 * file does not parse, 2 for usage errors and files that cannot be read.
 */

const USAGE = `usage: fleetline-edge decode --dbc FILE [LOG|-]

Decodes a candump -L log (LOG, or stdin when LOG is - or missing) with the DBC file and
prints one JSON object per frame: {"t": seconds, "id": id, "message": name, "signals": {...}}.
Lines that cannot be decoded are reported on stderr with their line number.
`;

/** A line longer than this is reported and dropped instead of being buffered. */
const MAX_LINE_CHARS = 1 << 20;

interface DecodeArgs {
  dbc: string;
  log: string | undefined;
}

type ParsedArgs = { ok: true; args: DecodeArgs } | { ok: false; help: boolean; error?: string };

export function parseDecodeArgs(argv: readonly string[]): ParsedArgs {
  let dbc: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { ok: false, help: true };
    if (arg === '--dbc') {
      const value = argv[++i];
      if (value === undefined || value === '') {
        return { ok: false, help: false, error: '--dbc needs a file' };
      }
      dbc = value;
    } else if (arg.startsWith('--dbc=')) {
      dbc = arg.slice('--dbc='.length);
      if (dbc === '') return { ok: false, help: false, error: '--dbc needs a file' };
    } else if (arg.startsWith('-') && arg !== '-') {
      return { ok: false, help: false, error: `unknown option ${arg}` };
    } else {
      positional.push(arg);
    }
  }
  if (dbc === undefined) return { ok: false, help: false, error: '--dbc FILE is required' };
  if (positional.length > 1) {
    return { ok: false, help: false, error: `one log at a time (got ${positional.join(', ')})` };
  }
  const log = positional[0];
  return { ok: true, args: { dbc, log: log === '-' ? undefined : log } };
}

function idText(frame: CanFrame): string {
  const hex = frame.id.toString(16).toUpperCase();
  return frame.extended
    ? `0x${hex.padStart(8, '0')} (extended)`
    : `0x${hex.padStart(3, '0')} (standard)`;
}

/** The log's timestamp as a JSON number: its digits, minus leading zeros JSON forbids. */
function timestampJson(timestamp: string): string {
  return timestamp.replace(/^0+(?=\d)/, '');
}

/** What one log line becomes: a JSON line for stdout, a report for stderr, or nothing. */
export type LineOutcome = { out: string } | { err: string } | undefined;

/** Decodes one log line (pure; the stream loop below does the I/O). */
export function decodeLogLine(codec: DbcCodec, line: string): LineOutcome {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  let parsed: ReturnType<typeof parseCandumpLine>;
  try {
    parsed = parseCandumpLine(text);
  } catch (e) {
    if (e instanceof CanLineError) return { err: e.message };
    throw e;
  }
  const { frame } = parsed;
  if (frame.error) return { err: `error frame (class 0x${frame.id.toString(16)}) skipped` };
  if (frame.remote) return { err: `remote frame ${idText(frame)} carries no data; skipped` };
  const messageCodec = codec.lookup(frame.id, frame.extended);
  if (!messageCodec) return { err: `unknown frame id ${idText(frame)}` };
  try {
    const signals = decodedSignalsJson(messageCodec.decode(frame.data));
    return {
      out: `{"t":${timestampJson(parsed.timestamp)},"id":${frame.id},"message":${JSON.stringify(messageCodec.message.name)},"signals":${signals}}`,
    };
  } catch (e) {
    if (e instanceof FrameTooShortError) return { err: `frame ${idText(frame)}: ${e.message}` };
    throw e;
  }
}

/**
 * Cuts streamed text into numbered lines. An incomplete last line waits for the next chunk;
 * one that grows past MAX_LINE_CHARS is reported once (line undefined) and its text dropped up
 * to its newline, so a log without newlines cannot fill memory.
 */
export class LineSplitter {
  private rest = '';
  private lineNumber = 0;
  private dropping = false;

  push(text: string, final: boolean, onLine: (line: string | undefined, n: number) => void): void {
    const lines = (this.rest + text).split('\n');
    this.rest = final ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      this.lineNumber++;
      if (this.dropping) {
        // The tail of the line already reported as too long.
        this.dropping = false;
        continue;
      }
      onLine(line, this.lineNumber);
    }
    if (this.rest.length > MAX_LINE_CHARS) {
      if (!this.dropping) onLine(undefined, this.lineNumber + 1);
      this.dropping = true;
      this.rest = '';
    }
  }
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text !== '' && !stream.write(text)) await once(stream, 'drain');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function decodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseDecodeArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    io.stderr.write(`fleetline-edge decode: ${parsed.error}\n${USAGE}`);
    return 2;
  }
  const { dbc, log } = parsed.args;
  const codec = await loadCodec(dbc, io);
  if (typeof codec === 'number') return codec;
  const input = await openLog(log, io);
  if (typeof input === 'number') return input;
  return decodeStream(codec, input, log ?? 'stdin', io);
}

/** The DBC's codec, its warnings printed; or the exit code when it cannot be had. */
async function loadCodec(dbc: string, io: CliIo): Promise<DbcCodec | number> {
  let database: DbcDatabase;
  try {
    database = await loadDbcFile(dbc);
  } catch (e) {
    if (e instanceof DbcError) {
      io.stderr.write(`fleetline-edge decode: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`fleetline-edge decode: cannot read DBC file ${dbc}: ${errorText(e)}\n`);
    return 2;
  }
  for (const w of database.warnings) {
    io.stderr.write(`${database.file}:${w.line}: warning: ${w.message}\n`);
  }
  return new DbcCodec(database);
}

interface LogInput {
  stream: NodeJS.ReadableStream;
  close(): Promise<void>;
}

/** The log file (stdin when undefined); or the exit code when it cannot be opened. */
async function openLog(log: string | undefined, io: CliIo): Promise<LogInput | number> {
  if (log === undefined) return { stream: io.stdin, close: async () => {} };
  try {
    const handle = await open(log, 'r');
    return { stream: handle.createReadStream(), close: () => handle.close().catch(() => {}) };
  } catch (e) {
    io.stderr.write(`fleetline-edge decode: cannot read log ${log}: ${errorText(e)}\n`);
    return 2;
  }
}

/**
 * Decodes the log chunk by chunk, writing each chunk's output (and waiting for the reader)
 * before reading the next; closes the input at the end. Resolves with the exit code.
 */
async function decodeStream(
  codec: DbcCodec,
  input: LogInput,
  logName: string,
  io: CliIo,
): Promise<number> {
  const splitter = new LineSplitter();
  const decoder = new StringDecoder('utf8');
  const handleText = async (text: string, final: boolean): Promise<void> => {
    let out = '';
    let err = '';
    splitter.push(text, final, (line, n) => {
      if (line === undefined) {
        err += `line ${n}: longer than ${MAX_LINE_CHARS} characters; skipped\n`;
        return;
      }
      const outcome = decodeLogLine(codec, line);
      if (outcome === undefined) return;
      if ('out' in outcome) out += `${outcome.out}\n`;
      else err += `line ${n}: ${outcome.err}\n`;
    });
    await write(io.stdout, out);
    await write(io.stderr, err);
  };

  // A reader that goes away (`... | head`) fails our writes with EPIPE: stop reading then.
  let outputError: (Error & { code?: string }) | undefined;
  const onOutputError = (e: Error) => {
    outputError = e;
  };
  io.stdout.on('error', onOutputError);
  try {
    for await (const chunk of input.stream) {
      await handleText(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer), false);
      if (outputError) break;
    }
    if (!outputError) await handleText(decoder.end(), true);
  } catch (e) {
    if (outputError) return outputFailure(outputError, io);
    io.stderr.write(`fleetline-edge decode: cannot read log ${logName}: ${errorText(e)}\n`);
    return 2;
  } finally {
    io.stdout.off('error', onOutputError);
    await input.close();
  }
  return outputError ? outputFailure(outputError, io) : 0;
}

function outputFailure(e: Error & { code?: string }, io: CliIo): number {
  if (e.code === 'EPIPE') return 0;
  io.stderr.write(`fleetline-edge decode: cannot write the output: ${e.message}\n`);
  return 1;
}
