import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A pseudo-terminal pair joined by socat, standing in for a USB serial adapter: whatever
 * is written to one end comes out of the other. `a` is for the simulated device, `b` for
 * the host (what a real adapter shows up as, e.g. /dev/ttyACM0). Stopping socat closes both
 * ptys, which is what the host sees when the adapter is unplugged.
 *
 * Node cannot open a pty pair itself (no openpty binding), and a native addon for it would
 * be a build dependency on every install; socat is one package on any Linux and is only
 * needed when devices are simulated on ptys.
 */
export interface PtyPair {
  /** Device end. */
  readonly a: string;
  /** Host end. */
  readonly b: string;
  readonly running: boolean;
  /** Stops socat (SIGTERM, then SIGKILL at the deadline) and removes its links; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=<dir>/a pty,raw,echo=0,link=<dir>/b` and waits,
 * with a deadline, until both links exist. Without `dir` a temporary folder is made and
 * removed again by stop(). `links` puts an end at a path of the caller's choosing instead,
 * e.g. the host end where an agent's config expects its device.
 */
export async function startPtyPair(
  dir?: string,
  timeoutMs = 5000,
  links: { a?: string; b?: string } = {},
): Promise<PtyPair> {
  const ownDir = dir === undefined;
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'fleetline-pty-')));
  const a = links.a ?? join(folder, 'a');
  const b = links.b ?? join(folder, 'b');
  // socat replaces whatever is at a link path, and a stale link from an earlier run would
  // pass the wait below before socat made the new one: clear links, refuse anything else.
  for (const path of [a, b]) {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) unlinkSync(path);
    else if (stat) throw new Error(`${path} exists and is not a link; not replacing it with a pty`);
  }
  const socat = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  socat.stderr?.setEncoding('utf8');
  socat.stderr?.on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => socat.once('close', () => resolve()));
  let failure: Error | undefined;
  socat.once('error', (err) => {
    failure = new Error(`socat could not be started (is it installed?): ${err.message}`);
  });

  const stop = async () => {
    await stopProcess(socat, exited);
    if (ownDir) await rm(folder, { recursive: true, force: true });
  };

  // socat makes the links once the ptys exist; poll for them against a deadline.
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(a) && existsSync(b))) {
    const gone = socat.exitCode !== null || socat.signalCode !== null;
    if (failure || gone || Date.now() > deadline) {
      await stop();
      throw (
        failure ??
        new Error(
          gone
            ? `socat exited before making the pty links:\n${log}`
            : `socat made no pty links within ${timeoutMs} ms:\n${log}`,
        )
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }

  return {
    a,
    b,
    get running() {
      return socat.exitCode === null && socat.signalCode === null;
    },
    stop,
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, deadlineMs = 5000) {
  if (child.pid === undefined) return; // never started
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    await exited;
    clearTimeout(timer);
  } else {
    await exited;
  }
}
