import type * as FsPromises from 'node:fs/promises';

type Fs = typeof FsPromises;
type Operation = (...args: unknown[]) => Promise<unknown>;

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/**
 * Kills "the process" at a chosen file operation, for tests that sweep a kill over every
 * point of a spool's work without spawning hundreds of processes: the spool's file
 * operations (node:fs/promises, and the writes, syncs and closes of its file handles) are
 * counted, and from the chosen one on none starts or settles — the code waiting on one waits
 * for ever, as it would after a SIGKILL. What was done before it stays on disk, as the kernel
 * keeps whatever was handed to write(). fsync is counted as a point but skipped: a kill, unlike
 * a power cut, does not need it, and skipping it keeps the sweeps quick.
 */
export class KillSwitch {
  private count = 0;
  private at = Number.POSITIVE_INFINITY;
  private tear = false;
  private dead = false;
  private torn = false;
  private died: () => void = () => {};
  /** Handles left open; the dead cannot close theirs (bury() does). */
  private readonly handles = new Set<FsPromises.FileHandle>();

  /**
   * Kills at operation `at` (1-based, counted from now); resolves when it happens. With
   * `tear`, a write that is that operation lands in part first (half of it), as a kill during
   * a write that crosses a page boundary can leave it.
   */
  arm(at: number, tear = false): Promise<void> {
    this.count = 0;
    this.at = at;
    this.tear = tear;
    this.dead = false;
    this.torn = false;
    return new Promise((resolve) => {
      this.died = resolve;
    });
  }

  /** Operations counted since arm(). */
  get operations(): number {
    return this.count;
  }

  /** Whether the kill tore a write (it was armed to, and the operation was a write). */
  get toreWrite(): boolean {
    return this.torn;
  }

  /** Lets the next run live: closes what the dead left open and disarms. */
  async bury(): Promise<void> {
    for (const h of [...this.handles]) await h.close();
    this.handles.clear();
    this.at = Number.POSITIVE_INFINITY;
    this.dead = false;
  }

  /** node:fs/promises with every operation going through the switch. */
  wrap(real: Fs): Fs {
    const fs: Record<string, unknown> = { ...real };
    for (const [name, value] of Object.entries(real)) {
      if (typeof value !== 'function' || name === 'open') continue;
      const op = value as Operation;
      fs[name] = (...args: unknown[]) => this.step(() => op(...args));
    }
    fs.open = (...args: unknown[]) =>
      this.step(async () => {
        const handle = await (real.open as Operation)(...args);
        this.handles.add(handle as FsPromises.FileHandle);
        return this.handle(handle as FsPromises.FileHandle);
      });
    return fs as Fs;
  }

  private handle(h: FsPromises.FileHandle): FsPromises.FileHandle {
    const write = h.write.bind(h) as Operation;
    const own: Record<string | symbol, unknown> = {
      write: (data: unknown, ...rest: unknown[]) =>
        this.step(
          () => write(data, ...rest),
          () => write(firstHalf(data)),
        ),
      sync: () => this.step(async () => {}),
      close: () =>
        this.step(async () => {
          await h.close();
          this.handles.delete(h);
        }),
    };
    return new Proxy(h, {
      get: (target, prop) => {
        if (prop in own) return own[prop];
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private async step<T>(op: () => Promise<T>, torn?: () => Promise<unknown>): Promise<T> {
    if (this.dead) return never();
    if (++this.count >= this.at) {
      this.dead = true;
      if (this.tear && torn) {
        this.torn = true;
        await torn();
      }
      this.died();
      return never();
    }
    const result = await op();
    // Done, but the process died meanwhile: nobody hears of it.
    if (this.dead) return never();
    return result;
  }
}

function firstHalf(data: unknown): unknown {
  if (typeof data === 'string') return data.slice(0, Math.ceil(data.length / 2));
  const bytes = data as Uint8Array;
  return bytes.subarray(0, Math.ceil(bytes.length / 2));
}

/** The one switch of a test file, shared by its vi.mock factory and its cases. */
export const killSwitch = new KillSwitch();
