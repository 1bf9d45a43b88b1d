/**
 * What a start has opened so far, closed newest first: each step that opens something (the
 * spool, the uplink, a timer, an input, the metrics listener) registers what undoes it the
 * moment it exists. If a later step fails, the start closes the stack and nothing it opened
 * outlives it; if the start succeeds, stopping the running agent closes the same stack, so
 * the two orders cannot drift apart.
 *
 * The same shape as platform's CleanupStack (without its abort signal: the agent's CLI stops
 * a running agent, not a start). Edge keeps its own because it never imports platform, and
 * the wire contract (proto) is no place for process lifecycle.
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
