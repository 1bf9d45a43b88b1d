import type { EventPayload } from '@fleetline/proto';
import type { Logger } from 'pino';
import type { Reading } from '../signals/reading.js';
import type { CleanupStack } from './cleanup-stack.js';
import type { AgentConfig } from './config.js';
import { LogLimiter } from './log-limiter.js';
import type { AgentMetrics } from './metrics.js';
import type { MetricsFeed } from './metrics-feed.js';

/**
 * The agent's inputs (CAN, OBD-II, GNSS, IMU): what one is, what it is given, how they are
 * started. Inputs know nothing of the pipeline or the spool; they hand readings, bad input
 * and events to their context.
 */

/** One of the agent's inputs, built from the config. */
export interface ReadingInput {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface InputContext {
  reading(r: Reading): void;
  /** Whether some signal mapping reads this reading name (inputs skip the rest). */
  wants(readingName: string): boolean;
  /** A bad line / frame / sentence: counted and logged, never fatal. */
  inputError(input: string, err: Error): void;
  event(payload: EventPayload, timeMs: number): Promise<number | undefined>;
  /** Counts on the hot path are plain numbers, moved into the metrics ten times a second. */
  counts: { canFrames: number };
  metrics: AgentMetrics;
  logger: Logger;
}

export type InputFactory = (config: AgentConfig, context: InputContext) => Promise<ReadingInput[]>;

/** What an input's context passes on to. */
export interface InputContextTargets {
  /** Where readings go (the pipeline), with the wall time they arrived at. */
  ingest(reading: Reading, nowMs: number): void;
  wants(readingName: string): boolean;
  /** Where events go (the spool). */
  event(payload: EventPayload, timeMs: number): Promise<number | undefined>;
  feed: MetricsFeed;
  metrics: AgentMetrics;
  logger: Logger;
}

/** At most this many "bad input" log lines per input in each window. */
const BAD_INPUT_LINES = 10;
const BAD_INPUT_WINDOW_MS = 60_000;

export function createInputContext(to: InputContextTargets): InputContext {
  const logLimiter = new LogLimiter(BAD_INPUT_LINES, BAD_INPUT_WINDOW_MS);
  return {
    reading: (r) => {
      to.feed.countReading(r.name);
      to.ingest(r, Date.now());
    },
    wants: (name) => to.wants(name),
    inputError: (input, err) => {
      to.metrics.inputErrors.inc({ input, code: (err as { code?: string }).code ?? 'ERROR' });
      // Every bad input is counted; the log gets at most a few lines a minute per input.
      if (logLimiter.allow(input)) to.logger.warn({ input, err: err.message }, 'bad input');
    },
    event: to.event,
    counts: to.feed.counts,
    metrics: to.metrics,
    logger: to.logger,
  };
}

/**
 * Starts the inputs in turn. Each one's stop goes on the cleanup stack the moment it has
 * started, so a later input that fails to start stops the ones before it; a stop that fails
 * is logged, and the others still stop.
 */
export async function startInputs(
  inputs: readonly ReadingInput[],
  cleanup: CleanupStack,
  logger: Logger,
): Promise<void> {
  for (const input of inputs) {
    await input.start();
    cleanup.defer(() =>
      input.stop().catch((err: Error) => logger.warn({ err }, 'input stop failed')),
    );
    logger.info({ input: input.name }, 'input started');
  }
}
