import { spawnSync } from 'node:child_process';
import { constants, mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// One pseudo-terminal pair for every test and for `fleetline simulate device`: the simulator's,
// which serves devices on it. Taken from its module, which uses Node alone, so a test that
// opens a pty loads nothing else of the simulator (nor, through it, the edge).
import { type PtyPair, startPtyPair } from '../simulator/src/serial/pty-pair.js';

export { type PtyPair, startPtyPair };

/** Whether socat is installed; pty tests are skipped without it. */
export const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

/**
 * A pty pair with a device the test plays itself: bytes written with `write()` go into end `a`
 * and come out of `b`, as from a device on a serial port. `stop()` makes the device disappear
 * (socat closes both ptys and its links go); `start()` brings it back under the same paths.
 */
export class DevicePty {
  readonly dir = mkdtempSync(join(tmpdir(), 'fleetline-pty-'));
  readonly a = join(this.dir, 'a');
  readonly b = join(this.dir, 'b');
  private pair: PtyPair | undefined;
  private writer: FileHandle | undefined;

  static async create(): Promise<DevicePty> {
    const pty = new DevicePty();
    await pty.start();
    return pty;
  }

  async start(): Promise<void> {
    this.pair = await startPtyPair(this.dir, 10_000);
  }

  /** Writes bytes into end `a` (they are read from end `b`); text as Latin-1. */
  async write(data: string | Buffer): Promise<void> {
    this.writer ??= await open(this.a, constants.O_WRONLY | constants.O_NOCTTY);
    await this.writer.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  async stop(): Promise<void> {
    await this.writer?.close().catch(() => {});
    this.writer = undefined;
    const pair = this.pair;
    this.pair = undefined;
    await pair?.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
