import {
  type EventPayload,
  encodeEvent,
  encodeTelemetryBatch,
  MAX_TROUBLE_CODES,
  type Sample,
} from '@fleetline/proto';
import type { Logger } from 'pino';
import { Spool } from '../spool/spool.js';
import { fitEvent, fitTelemetry } from '../uplink/fit.js';
import type { AgentConfig } from './config.js';
import type { AgentMetrics } from './metrics.js';
import type { PipelineSink } from './pipeline.js';

/** The default spool budget (spool.maxBytes). */
const DEFAULT_SPOOL_BYTES = 256 * 1024 * 1024;

/** Opens the agent's spool and logs what it found: damage cut off, depth, the next seq. */
export async function openSpool(config: AgentConfig['spool'], logger: Logger): Promise<Spool> {
  const spool = await Spool.open({
    dir: config.dir,
    maxBytes: config.maxBytes ?? DEFAULT_SPOOL_BYTES,
  });
  for (const damage of spool.openReport.damage)
    logger.warn({ damage }, 'spool damage found and cut off at open');
  logger.info({ nextSeq: spool.nextSeq, seqEpoch: spool.seqEpoch, ...spool.stats() }, 'spool open');
  return spool;
}

export interface SpoolWriterOptions {
  deviceId: string;
  /** Every message the agent publishes is at most this big, events as well as batches. */
  maxBatchBytes: number;
}

/**
 * The pipeline's way into the spool: telemetry batches and events, each cut into the
 * messages the wire takes (see fit.ts), encoded with the seq the spool gives them, in the
 * order they were handed over. Nothing here throws at the pipeline: a message that cannot be
 * spooled is logged.
 */
export class SpoolWriter implements PipelineSink {
  /** Everything handed over so far, spooled (or failed and logged). */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly spool: Pick<Spool, 'add'>,
    private readonly o: SpoolWriterOptions,
    private readonly metrics: Pick<AgentMetrics, 'batches' | 'events' | 'troubleCodesLeftOut'>,
    private readonly logger: Logger,
  ) {}

  telemetry(samples: Sample[]): void {
    this.pending = this.pending
      .then(() => this.spoolTelemetry(samples))
      .catch((err: Error) => {
        this.logger.error({ err }, 'telemetry batch could not be spooled');
      });
  }

  /**
   * Spools an event as the messages it fits in (see fit.ts). Resolves with the seq of the
   * first — the collision itself, which the rest of its window names — as soon as that one is
   * on disk; the parts after it are spooled right behind it.
   */
  event(payload: EventPayload, timeMs: number): Promise<number | undefined> {
    this.metrics.events.inc({ kind: payload.kind });
    let rest: Promise<unknown> = Promise.resolve();
    const seq = (async () => {
      const fitted = fitEvent(this.o.deviceId, payload, timeMs, this.o.maxBatchBytes);
      if (fitted.leftOut > 0) this.troubleCodesLeftOut(fitted.leftOut);
      const first = await this.addEvent(timeMs, fitted.first);
      const later = fitted.rest(first ?? 0);
      if (later.length > 0) {
        this.logger.info(
          { kind: payload.kind, seq: first, messages: later.length + 1 },
          'event split',
        );
        // Added at once: the spool gives them rising seqs in this (time) order.
        rest = Promise.all(later.map((p) => this.addEvent(timeMs, p)));
        rest.catch((err: Error) =>
          this.logger.error({ err }, 'part of an event could not be spooled'),
        );
      }
      return first;
    })();
    this.pending = this.pending
      .then(() => seq)
      .then(() => rest)
      .catch(() => {});
    seq.catch((err: Error) => this.logger.error({ err }, 'event could not be spooled'));
    return seq;
  }

  /** Resolves once everything handed over so far is in the spool (or has failed, logged). */
  settled(): Promise<unknown> {
    return this.pending;
  }

  private async spoolTelemetry(samples: Sample[]): Promise<void> {
    const { deviceId, maxBatchBytes } = this.o;
    for (const part of fitTelemetry(deviceId, samples, maxBatchBytes)) {
      const seq = await this.spool.add('telemetry', (s, seqEpoch) =>
        encodeTelemetryBatch({ deviceId, seq: s, seqEpoch, samples: part }),
      );
      if (seq === undefined) this.logger.warn('spool full of events: telemetry batch dropped');
      else this.metrics.batches.inc();
    }
  }

  private addEvent(timeMs: number, payload: EventPayload): Promise<number | undefined> {
    const { deviceId } = this.o;
    return this.spool.add('event', (s, seqEpoch) =>
      encodeEvent({ deviceId, seq: s, seqEpoch, timeMs, payload }),
    );
  }

  private troubleCodesLeftOut(leftOut: number): void {
    this.metrics.troubleCodesLeftOut.inc(leftOut);
    this.logger.warn(
      { reported: leftOut + MAX_TROUBLE_CODES, leftOut },
      `more trouble codes than one event carries: the ${MAX_TROUBLE_CODES} most important sent`,
    );
  }
}
