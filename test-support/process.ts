import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..');

/** A free TCP port on loopback (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

/** A Fleetline process under test: its output is kept, so tests can wait for and assert on it. */
export class Service {
  readonly output: string[] = [];
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private listeners = new Set<() => void>();

  private constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    args: readonly string[],
  ) {
    this.child = spawn(process.execPath, [join(repoRoot, script), ...args], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        this.output.push(...lines);
        for (const l of this.listeners) l();
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve(signal ? null : code));
    });
  }

  static start(
    name: string,
    script: string,
    env: Record<string, string>,
    args: readonly string[] = [],
  ): Service {
    return new Service(name, script, env, args);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first output line matching, failing at the deadline or on exit. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.output.find((l) => pattern.test(l));
        if (line !== undefined) {
          finish();
          resolve(line);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `${this.name}: no output matching ${pattern} within ${timeoutMs} ms:\n${this.tail()}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      void this.exited.then((code) => {
        if (!this.listeners.has(check)) return;
        finish();
        reject(
          new Error(`${this.name} exited (${code}) before printing ${pattern}:\n${this.tail()}`),
        );
      });
      check();
    });
  }

  tail(lines = 30): string {
    return this.output.slice(-lines).join('\n');
  }

  /** Kills the process with the signal and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM with a deadline, then SIGKILL. */
  async stop(deadlineMs = 20_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), deadlineMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
