/**
 * When a simulator command stops: at the end of its `--duration-s`, or at the first SIGINT or
 * SIGTERM (it then stops publishing, waits and summarises); a second signal exits at once.
 */

/**
 * An AbortSignal raised by the first SIGINT or SIGTERM (stop publishing, wait, summarise);
 * a second one exits at once.
 */
export function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Resolves after `durationS` seconds (never, without one), or as soon as `stop` is raised. */
export function untilStopped(durationS: number | undefined, stop: AbortSignal | undefined) {
  return new Promise<void>((resolve) => {
    const timer = durationS === undefined ? undefined : setTimeout(resolve, durationS * 1000);
    const onStop = () => {
      clearTimeout(timer);
      resolve();
    };
    if (stop?.aborted) onStop();
    stop?.addEventListener('abort', onStop, { once: true });
  });
}

/** What starts a line of its own on stderr: on a terminal, the progress line is erased first. */
export const lineStart = (tty: boolean) => (tty ? '\r\x1b[2K' : '');
