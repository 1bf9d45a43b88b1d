import { afterEach } from 'vitest';

/**
 * What a test started, undone newest first: each step that starts something (a pty, a
 * broker, a source) registers what stops it the moment it exists, so a test that fails half
 * way leaves nothing running for the next one.
 *
 * Every closer runs, even when one before it failed; the failures are then thrown together
 * (one as it is, several as an AggregateError), so a stop that fails still fails the test. With
 * `ignoreFailures`, for closers that may find their thing already stopped by the test itself,
 * nothing is thrown.
 *
 * The product code has the same shape in platform's and the edge's CleanupStack; this one is
 * for tests of every package (the edge may not import platform), runs any number of times
 * (once after each test) and has no start-up abort to honour.
 */
export class TestCleanup {
  private readonly closers: (() => unknown)[] = [];

  constructor(private readonly options: { ignoreFailures?: boolean } = {}) {}

  /** Registers what undoes the step just taken. */
  defer(close: () => unknown): void {
    this.closers.push(close);
  }

  /** Registers a resource's close() and returns the resource. */
  adopt<T extends { close(): unknown }>(resource: T): T {
    this.defer(() => resource.close());
    return resource;
  }

  /** Runs the closers registered so far, newest first, and forgets them. */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        failures.push(err);
      }
    }
    if (this.options.ignoreFailures) return;
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'several closers failed');
  }
}

/**
 * A cleanup stack run after each test — of the file, or of the describe block it is made in.
 */
export function cleanupAfterEach(options: { ignoreFailures?: boolean } = {}): TestCleanup {
  const cleanup = new TestCleanup(options);
  afterEach(() => cleanup.run());
  return cleanup;
}
