import { getOrCreateCounter, type Registry } from './metrics.js';
import { OncePerInterval } from './once-per-interval.js';

/**
 * Callbacks that run outside any request or promise chain — timers, event-emitter listeners,
 * stream callbacks — have no caller to hand an error to: a throw there is an uncaught
 * exception, and Node ends the process (a rejected promise nobody awaits, likewise). In a
 * process that serves thousands of devices, one bad value reaching such a callback must cost
 * that callback's work, not the process. Every such callback goes through a guard: a throw
 * (or a rejection of the promise it returns) is logged and counted by where it happened, and
 * the process carries on.
 *
 * A callback that throws once will often throw at every tick: the log line for one place is
 * written at most every `logIntervalMs` (with how many were not logged), the counter counts
 * every one.
 */

export const CALLBACK_ERRORS_METRIC = 'fleetline_callback_errors_total';

export interface CallbackGuard {
  /** `fn`, such that a throw or rejection is logged and counted under `where`, never rethrown. */
  wrap<A extends unknown[]>(where: string, fn: (...args: A) => unknown): (...args: A) => void;
  /** Runs `fn` now under the guard. */
  run(where: string, fn: () => unknown): void;
}

export interface CallbackGuardOptions {
  /** Any pino-shaped logger (a service's, or fastify's). */
  logger: { error(details: object, message: string): void };
  metrics: Registry;
  /** At most one log line per place this often (default 10 s). */
  logIntervalMs?: number;
  /** Clock, epoch ms (default Date.now). */
  now?(): number;
}

export function callbackGuard(o: CallbackGuardOptions): CallbackGuard {
  // One counter per registry, however many components guard their callbacks with it.
  const errors = getOrCreateCounter(o.metrics, {
    name: CALLBACK_ERRORS_METRIC,
    help: 'Errors thrown in timers and event callbacks, by where; each was logged and the process carried on',
    labelNames: ['where'],
  });
  const logLines = new OncePerInterval(o.logIntervalMs ?? 10_000, o.now);

  const report = (where: string, err: unknown) => {
    try {
      errors.inc({ where });
      const turn = logLines.take(where);
      if (!turn) return;
      o.logger.error(
        { err, where, ...(turn.leftOut > 0 ? { notLoggedSince: turn.leftOut } : {}) },
        'callback failed; carrying on',
      );
    } catch {
      // Reporting must not be what throws.
    }
  };

  const run = (where: string, fn: () => unknown) => {
    try {
      const result = fn();
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, (err: unknown) => report(where, err));
      }
    } catch (err) {
      report(where, err);
    }
  };

  return {
    run,
    wrap:
      <A extends unknown[]>(where: string, fn: (...args: A) => unknown) =>
      (...args: A) =>
        run(where, () => fn(...args)),
  };
}
