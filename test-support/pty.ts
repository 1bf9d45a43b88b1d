import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStream } from 'node:tty';
// One pseudo-terminal pair, and one way to open a device end, for every test and for
// `fleetline simulate device`: those of @fleetline/pty-devices, which the simulator serves its
// devices with. That package uses Node alone, so a test that opens a pty loads nothing of the
// simulator (nor, through it, the edge).
import { openPtyEnd, type PtyPair, startPtyPair } from '@fleetline/pty-devices';

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
  private device: ReadStream | undefined;

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
    if (!this.device) {
      this.device = await openPtyEnd(this.a);
      // What the host writes to the device is not acted on (nor left to fill the pty).
      this.device.resume();
    }
    const device = this.device;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    await new Promise<void>((resolve, reject) =>
      device.write(bytes, (err) => (err ? reject(err) : resolve())),
    );
  }

  async stop(): Promise<void> {
    const device = this.device;
    this.device = undefined;
    if (device && !device.destroyed) {
      const closed = new Promise((resolve) => device.once('close', resolve));
      device.destroy();
      await closed;
    }
    const pair = this.pair;
    this.pair = undefined;
    await pair?.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
