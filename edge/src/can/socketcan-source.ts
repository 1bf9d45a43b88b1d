import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CanLineError,
  CanSourceUnavailableError,
  EdgeConfigError,
  type EdgeError,
} from '../errors.js';
import { formatCompactFrame, parseCandumpLine } from './candump-format.js';
import type { CanFrame } from './frame.js';
import type { CanSource } from './source.js';
import { CanSourceBase } from './source-base.js';

export interface SocketCanOptions {
  /** The SocketCAN interface, e.g. `can0` or `vcan0`. */
  iface: string;
  /** Command (and leading arguments) that runs candump; `-L <iface>` is appended. */
  candump?: readonly string[];
  /** Command (and leading arguments) that runs cansend; `<iface> <ID#DATA>` is appended. */
  cansend?: readonly string[];
  /**
   * Where the kernel lists network interfaces. open() looks for the interface there first
   * and checks its type is CAN, so a missing `can0` fails open() with a clear message
   * instead of a candump that exits a moment later. false skips the check.
   */
  sysfsNet?: string | false;
}

/** ARPHRD_CAN: the `type` sysfs reports for CAN interfaces (linux/if_arp.h). */
const ARPHRD_CAN = '280';

/** How long candump gets to stop on SIGTERM before SIGKILL. */
const STOP_DEADLINE_MS = 3000;

/** How much of a can-utils program's stderr goes into an error message. */
const STDERR_LIMIT = 2000;

/**
 * A CAN source on a Linux SocketCAN interface, through can-utils: `candump -L <iface>`
 * streams frames with kernel time stamps, `cansend <iface> <ID#DATA>` transmits.
 *
 * Deliberately not a native AF_CAN binding: Node has no AF_CAN sockets, and the addons
 * that add them must be compiled against each Node release and for each board's
 * architecture, which is the hardest part of deploying to in-vehicle Linux. can-utils is
 * one package on every distribution, its log format is the one the replay source and the
 * tests already use, and the kernel's receive time stamps come with it. The cost — a
 * process per sent frame — is fine for the diagnostic request rates the edge sends;
 * a high-rate sender would want a long-lived process or the native binding after all.
 */
export class SocketCanSource extends CanSourceBase implements CanSource {
  readonly name: string;
  readonly canSend = true;
  private readonly iface: string;
  private readonly candump: readonly string[];
  private readonly cansend: readonly string[];
  private readonly sysfsNet: string | false;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: SocketCanOptions) {
    super();
    this.iface = options.iface;
    this.candump = options.candump ?? ['candump'];
    this.cansend = options.cansend ?? ['cansend'];
    this.sysfsNet = options.sysfsNet ?? '/sys/class/net';
    const problems: string[] = [];
    // Interface names: at most 15 characters (IFNAMSIZ - 1), no slash or whitespace.
    if (!/^[^\s/]{1,15}$/.test(this.iface ?? '')) {
      problems.push(`iface: "${this.iface}" is not a network interface name`);
    }
    if (this.candump.length === 0) problems.push('candump: give the command to run');
    if (this.cansend.length === 0) problems.push('cansend: give the command to run');
    if (problems.length > 0) {
      throw new EdgeConfigError(
        `invalid SocketCAN source options: ${problems.join('; ')}`,
        problems,
      );
    }
    this.name = `socketcan:${this.iface}`;
  }

  /**
   * Checks the interface, then starts candump; resolves once it runs. When candump fails
   * after that (say the interface went down), its stderr arrives as an `error`, then `end`.
   */
  open(): Promise<void> {
    this.opening ??= this.runOpen();
    return this.opening;
  }

  private async runOpen(): Promise<void> {
    if (this.closing) throw new CanSourceUnavailableError(`${this.name} is closed`);
    await this.checkInterface();
    const [command, ...args] = this.candump as [string, ...string[]];
    const child = spawn(command, [...args, '-L', this.iface], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr = collect(child);
    try {
      await once(child, 'spawn');
    } catch (err) {
      throw notFound(command, 'candump', err);
    }
    this.child = child;
    const lines = createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => this.onLine(line));
    // 'close' comes after stdout has been read to its end, so no line is lost behind it.
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.onExit(code, signal, stderr());
        resolve();
      });
    });
    if (this.closing) await this.stopChild();
  }

  private async checkInterface(): Promise<void> {
    if (this.sysfsNet === false) return;
    try {
      await stat(this.sysfsNet);
    } catch {
      return; // no sysfs here (a container without /sys): let candump speak for itself
    }
    const dir = join(this.sysfsNet, this.iface);
    try {
      await stat(dir);
    } catch {
      throw new CanSourceUnavailableError(
        `${this.name}: there is no network interface "${this.iface}" (is the CAN HAT's ` +
          'overlay loaded, or for testing: ip link add dev vcan0 type vcan)',
        { iface: this.iface },
      );
    }
    const type = await readFile(join(dir, 'type'), 'utf8').then(
      (t) => t.trim(),
      () => undefined,
    );
    if (type !== undefined && type !== ARPHRD_CAN) {
      throw new CanSourceUnavailableError(
        `${this.name}: "${this.iface}" is not a CAN interface (link type ${type}, CAN is ${ARPHRD_CAN})`,
        { iface: this.iface, type },
      );
    }
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    try {
      this.deliver(parseCandumpLine(line).frame);
    } catch (err) {
      const error =
        err instanceof CanLineError
          ? err
          : new CanLineError(`candump printed "${line}"`, { cause: err });
      this.report(error);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (this.closing) return;
    if (code !== 0) {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.report(
        new CanSourceUnavailableError(
          `${this.name}: candump ${how}${stderr ? `: ${stderr}` : ''}`,
          { iface: this.iface, code, signal, stderr },
        ),
      );
    }
    this.finish();
  }

  /**
   * Runs `cansend <iface> <ID#DATA>` and resolves when it exits 0; otherwise rejects with
   * CanSourceUnavailableError carrying its stderr (no such device, `write: No buffer space
   * available` when the transmit queue is full — worth a retry).
   */
  async send(frame: CanFrame): Promise<void> {
    if (this.closing || !this.child) {
      throw new CanSourceUnavailableError(`${this.name} is not open`);
    }
    const [command, ...args] = this.cansend as [string, ...string[]];
    const compact = formatCompactFrame(frame);
    const child = spawn(command, [...args, this.iface, compact], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr = collect(child);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (resolve, reject) => {
        child.once('error', (err) => reject(notFound(command, 'cansend', err)));
        child.once('close', (c, s) => resolve([c, s]));
      },
    );
    if (code !== 0) {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      throw new CanSourceUnavailableError(
        `${this.name}: cansend ${compact} ${how}${stderr() ? `: ${stderr()}` : ''}`,
        { iface: this.iface, frame: compact, code, signal, stderr: stderr() },
      );
    }
  }

  /** Stops candump; idempotent. No `end` is emitted for a close. */
  close(): Promise<void> {
    this.closed ??= this.runClose();
    return this.closed;
  }

  private async runClose(): Promise<void> {
    this.closing = true;
    await this.opening?.catch(() => {});
    await this.stopChild();
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      await this.exited;
      return;
    }
    child.kill('SIGTERM');
    // candump stops on SIGTERM at once; a stand-in that ignores it is not left behind.
    const stubborn = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    await this.exited;
    clearTimeout(stubborn);
  }
}

/** Collects a child's stderr (bounded) for error messages. */
function collect(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (text.length < STDERR_LIMIT) text += chunk;
  });
  return () => text.trim().slice(0, STDERR_LIMIT);
}

function notFound(command: string, program: string, err: unknown): EdgeError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? `${command} was not found — install can-utils (it provides ${program})`
      : `${command} could not be started: ${(err as Error).message}`;
  return new CanSourceUnavailableError(why, { command, cause: err });
}
