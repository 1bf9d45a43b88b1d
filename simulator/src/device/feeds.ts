/**
 * Outputs of one simulated vehicle (its CAN bus, GPS receiver, IMU board) sent in real time.
 * They read one drive model, which only moves forward, so their items are taken in order of
 * due time across all of them: whichever output is due first goes next.
 */

/** Items due at simulated times (ms since the drive's start), taken in order. */
export interface TimedSource<T> {
  /** Simulated ms at which the next item is due. */
  readonly nextDueMs: number;
  next(): T;
}

/** A source and where its items go. */
export interface Feed {
  readonly nextDueMs: number;
  /** Takes the next item and delivers it. */
  sendNext(): void;
}

export function feed<T>(source: TimedSource<T>, deliver: (item: T) => void): Feed {
  return {
    get nextDueMs() {
      return source.nextDueMs;
    },
    sendNext: () => deliver(source.next()),
  };
}

/** Takes every item due before `offsetMs` from the feeds, in order of due time. */
export function sendDue(feeds: readonly Feed[], offsetMs: number): void {
  for (;;) {
    let first: Feed | undefined;
    for (const f of feeds)
      if (f.nextDueMs < offsetMs && (!first || f.nextDueMs < first.nextDueMs)) first = f;
    if (!first) return;
    first.sendNext();
  }
}

export interface ServeOptions {
  /** How often the clock is checked, ms. Default 5. */
  readonly tickMs?: number;
  /** Epoch ms now. Default Date.now. */
  readonly clock?: () => number;
}

export interface Served {
  /** Stops sending; idempotent. */
  stop(): void;
}

/**
 * Sends the feeds in real time: the item due at simulated time t goes out when the clock
 * reaches startTimeMs + t. The items' contents depend on simulated time only; a late timer
 * sends what it owes at once.
 */
export function serveFeeds(
  feeds: readonly Feed[],
  startTimeMs: number,
  options: ServeOptions = {},
): Served {
  const clock = options.clock ?? Date.now;
  let stopped = false;
  const tick = () => {
    if (!stopped) sendDue(feeds, clock() - startTimeMs + 1);
  };
  const timer = setInterval(tick, options.tickMs ?? 5);
  tick();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
