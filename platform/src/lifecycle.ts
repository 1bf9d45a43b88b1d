import { FleetlineError } from '@fleetline/proto';
import type { Logger } from 'pino';
import {
  type Config,
  type ConfigOf,
  loadConfig,
  type NoSettings,
  type SettingsTable,
} from './config.js';
import { secureDataDir } from './data-dir.js';
import { StartAbortedError } from './errors.js';
import { createLogger } from './logger.js';
import { catchStopSignals } from './stop-signals.js';

/**
 * What a start function has opened so far, closed newest first: each step that opens
 * something (a listener, a consumer, a timer) registers what undoes it the moment it exists.
 * If a later step fails, the start closes the stack and nothing it opened outlives it — no
 * port stays bound, no timer keeps the process alive; if the start succeeds, the running
 * thing's close() closes the same stack, so the two orders cannot drift apart.
 *
 * With an abort signal (a SIGTERM during start-up), each step taken after the signal came
 * ends the start there: the step is registered, then StartAbortedError is thrown, and the
 * start closes what it opened. A start is stopped between its steps, never inside one.
 */
export class CleanupStack {
  private readonly closers: (() => unknown)[] = [];
  private closed: Promise<void> | undefined;
  private starting: boolean;

  constructor(private readonly abort?: AbortSignal) {
    this.starting = abort !== undefined;
  }

  /** Registers what undoes the step just taken. */
  defer(close: () => unknown): void {
    if (this.closed) throw new Error('the cleanup stack is closed already');
    this.closers.push(close);
    if (this.starting && this.abort?.aborted) {
      throw new StartAbortedError(String(this.abort.reason ?? 'a signal'));
    }
  }

  /** The start is over: from now on a step is never refused. */
  started(): void {
    this.starting = false;
  }

  /** Registers a resource's close() and returns the resource. */
  adopt<T extends { close(): unknown }>(resource: T): T {
    this.defer(() => resource.close());
    return resource;
  }

  /**
   * Runs every closer, newest first, each one even when an earlier one failed; then throws
   * the failure (an AggregateError when there were several). Once: later calls share the
   * first.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const failures: unknown[] = [];
      for (const close of this.closers.splice(0).reverse()) {
        try {
          await close();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, 'several closers failed');
    })();
    return this.closed;
  }
}

/**
 * Runs a start function with a cleanup stack of its own. When it throws, whatever it had
 * registered is closed before the error goes on (unchanged; a failure to close rides along
 * as `suppressed`). With `abort`, a signal during the start ends it after the step in hand
 * (StartAbortedError); one that comes later is the running thing's business.
 */
export async function startWithCleanup<T>(
  start: (cleanup: CleanupStack) => Promise<T>,
  abort?: AbortSignal,
): Promise<T> {
  const cleanup = new CleanupStack(abort);
  try {
    const started = await start(cleanup);
    cleanup.started();
    return started;
  } catch (err) {
    await cleanup.close().catch((closeErr: unknown) => {
      if (err instanceof Error) Object.assign(err, { suppressed: closeErr });
    });
    throw err;
  }
}

/** Prints a start-up failure as one clear line (no stack for known errors) and exits 1. */
export function exitOnStartupError(logger: Logger | undefined, err: unknown): never {
  const e = err as Error;
  // Our own errors already say what is wrong and how to fix it; a stack adds nothing.
  const known = err instanceof FleetlineError;
  if (logger) logger.fatal(known ? { code: err.code } : { err }, e.message);
  process.stderr.write(`fleetline: ${e.message}\n`);
  process.exit(1);
}

/**
 * The life of a service process: load and validate the config (with the process's own
 * `settings`, if it has any), create the logger, start, close on SIGINT/SIGTERM; a start-up
 * failure prints one clear line and exits 1.
 *
 * The signals are caught before anything is started (catchStopSignals; an entry point may
 * have caught them earlier still). A signal during start-up aborts the start after the step
 * in hand (the start function gets the abort signal; startWithCleanup closes what it opened)
 * or, when the start finishes anyway, closes what it started at once; either way the process
 * ends with code 0, as after a stop of a running service. A second signal, or a stop that
 * takes longer than `options.deadlineMs` (20 s), ends the process at once (130, 1).
 */
export async function runService<E extends SettingsTable = NoSettings>(
  name: string,
  start: (
    config: Config & ConfigOf<E>,
    logger: Logger,
    abort: AbortSignal,
  ) => Promise<() => Promise<void>>,
  options: { settings?: E; deadlineMs?: number } = {},
): Promise<void> {
  const stops = catchStopSignals();
  const deadlineMs = options.deadlineMs ?? 20_000;
  let logger: Logger | undefined;
  let close: (() => Promise<void>) | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const stopped = (log: Logger) => {
    clearTimeout(deadline);
    log.info('stopped');
    log.flush?.();
    process.exitCode = 0;
  };
  const closeNow = (log: Logger, closeService: () => Promise<void>) =>
    closeService().then(
      () => stopped(log),
      (err: Error) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  try {
    const config = loadConfig<E>({ settings: options.settings });
    const log = createLogger(name, config.logLevel);
    logger = log;
    stops.handle(
      (signal) => {
        log.info({ signal }, close ? 'shutting down' : 'shutting down: stopping the start-up');
        deadline = setTimeout(() => {
          log.error({ deadlineMs }, 'shutdown took too long, exiting');
          process.exit(1);
        }, deadlineMs);
        deadline.unref();
        if (close) void closeNow(log, close);
      },
      (signal) => {
        log.warn({ signal }, 'second signal, exiting now');
        process.exit(130);
      },
    );
    log.info({ pid: process.pid, dataDir: config.dataDir }, `starting ${name}`);
    if (stops.signal.aborted) return stopped(log);
    secureDataDir(config.dataDir, log);
    const started = await start(config, log, stops.signal);
    close = started;
    // A signal during the start that did not stop it: close what it started, now.
    if (stops.signal.aborted) await closeNow(log, started);
  } catch (err) {
    if (err instanceof StartAbortedError && logger) return stopped(logger);
    exitOnStartupError(logger, err);
  }
}
