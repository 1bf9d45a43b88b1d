import { FleetlineError } from '@fleetline/proto';
import type { Logger } from 'pino';
import { type Config, loadConfig } from './config.js';
import { secureDataDir } from './data-dir.js';
import { createLogger } from './logger.js';

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
 * The life of a service process: load and validate the config, create the logger, start,
 * close on SIGINT/SIGTERM; a start-up failure prints one clear line and exits 1.
 */
export async function runService(
  name: string,
  start: (config: Config, logger: Logger) => Promise<() => Promise<void>>,
): Promise<void> {
  let logger: Logger | undefined;
  try {
    const config = loadConfig();
    const processLogger = createLogger(name, config.logLevel);
    logger = processLogger;
    secureDataDir(config.dataDir, processLogger);
    const close = await start(config, processLogger);
    closeOnSignal(processLogger, close);
  } catch (err) {
    exitOnStartupError(logger, err);
  }
}
