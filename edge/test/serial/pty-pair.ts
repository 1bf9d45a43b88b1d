import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../../test-support/infra.js';

/** Whether socat is installed; pty tests are skipped without it. */
export const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

/**
 * A real pseudo-terminal pair made by socat: bytes written to `a` come out of `b`, as from a
 * device on a serial port. `stop()` makes the device disappear (socat removes the links and
 * closes both ptys); `start()` brings it back under the same paths.
 */
export class PtyPair {
  readonly dir = mkdtempSync(join(tmpdir(), 'fleetline-pty-'));
  readonly a = join(this.dir, 'a');
  readonly b = join(this.dir, 'b');
  private socat: ChildProcess | undefined;
  private writer: FileHandle | undefined;

  static async create(): Promise<PtyPair> {
    const pair = new PtyPair();
    await pair.start();
    return pair;
  }

  async start(): Promise<void> {
    const child = spawn(
      'socat',
      [`pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`],
      { stdio: 'ignore' },
    );
    this.socat = child;
    await eventually(
      () => child.exitCode === null && existsSync(this.a) && existsSync(this.b),
      'socat to create both pty links',
      10_000,
      20,
    );
  }

  /** Writes bytes into end `a` (they are read from end `b`). */
  async write(data: string | Buffer): Promise<void> {
    this.writer ??= await open(this.a, constants.O_WRONLY | constants.O_NOCTTY);
    await this.writer.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  async stop(): Promise<void> {
    await this.writer?.close().catch(() => {});
    this.writer = undefined;
    const child = this.socat;
    this.socat = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
