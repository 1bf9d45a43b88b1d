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
import { createLogger } from './logger.js';

/**
 * What a start function has opened so far, closed newest first: each step that opens
 * something (a listener, a consumer, a timer) registers what undoes it the moment it exists.
 * If a later step fails, the start closes the stack and nothing it opened outlives it — no
 * port stays bound, no timer keeps the process alive; if the start succeeds, the running
 * thing's close() closes the same stack, so the two orders cannot drift apart.
 */
export class CleanupStack {
  private readonly closers: (() => unknown)[] = [];
  private closed: Promise<void> | undefined;

  /** Registers what undoes the step just taken. */
  defer(close: () => unknown): void {
    if (this.closed) throw new Error('the cleanup stack is closed already');
    this.closers.push(close);
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
 * as `suppressed`).
 */
export async function startWithCleanup<T>(
  start: (cleanup: CleanupStack) => Promise<T>,
): Promise<T> {
  const cleanup = new CleanupStack();
  try {
    return await start(cleanup);
  } catch (err) {
    await cleanup.close().catch((closeErr: unknown) => {
      if (err instanceof Error) Object.assign(err, { suppressed: closeErr });
    });
    throw err;
  }
}

/**
 * Runs a service until SIGINT/SIGTERM, then closes it once; a second signal or a close that
 * hangs past the deadline ends the process at once.
 */
export function closeOnSignal(
  logger: Logger,
  close: () => Promise<void>,
  deadlineMs = 20_000,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(130);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    close().then(
      () => {
        clearTimeout(timer);
        logger.info('stopped');
        logger.flush?.();
        process.exitCode = 0;
      },
      (err: Error) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
 */
export async function runService<E extends SettingsTable = NoSettings>(
  name: string,
  start: (config: Config & ConfigOf<E>, logger: Logger) => Promise<() => Promise<void>>,
  options: { settings?: E } = {},
): Promise<void> {
  let logger: Logger | undefined;
  try {
    const config = loadConfig<E>({ settings: options.settings });
    const processLogger = createLogger(name, config.logLevel);
    logger = processLogger;
    secureDataDir(config.dataDir, processLogger);
    const close = await start(config, processLogger);
    closeOnSignal(processLogger, close);
  } catch (err) {
    exitOnStartupError(logger, err);
  }
}
