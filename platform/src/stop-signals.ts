/**
 * SIGINT and SIGTERM of a service process, caught from the moment catchStopSignals() is first
 * called. Node's default for them ends the process wherever it is; during start-up that is in
 * the middle of opening files, registering devices, binding ports — a stop asked for by a
 * supervisor (systemd, Kubernetes) would leave SQLite's -wal files and a half-done start
 * behind. An entry point calls this first, before it loads the rest (which takes a second),
 * so no window is left; runService then decides what a signal does.
 *
 * This module imports nothing: it is loaded before everything else.
 */

export interface StopSignals {
  /** Aborted at the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The first signal, once one came. */
  readonly received: NodeJS.Signals | undefined;
  /**
   * From now on the first signal calls `onFirst` (at once when one came already) and each
   * later one `onSecond`. Until then a second signal ends the process (exit code 130).
   */
  handle(
    onFirst: (signal: NodeJS.Signals) => void,
    onSecond: (signal: NodeJS.Signals) => void,
  ): void;
}

let caught: StopSignals | undefined;

/** The process's stop signals, caught (once: later calls answer the same). */
export function catchStopSignals(): StopSignals {
  if (caught) return caught;
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let first: ((signal: NodeJS.Signals) => void) | undefined;
  let second: (signal: NodeJS.Signals) => void = () => process.exit(130);
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      second(signal);
      return;
    }
    received = signal;
    controller.abort(signal);
    first?.(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  caught = {
    signal: controller.signal,
    get received() {
      return received;
    },
    handle(onFirst, onSecond) {
      first = onFirst;
      second = onSecond;
      if (received) onFirst(received);
    },
  };
  return caught;
}
