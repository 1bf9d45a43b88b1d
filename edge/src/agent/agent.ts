import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import {
  type EventPayload,
  encodeEvent,
  encodeTelemetryBatch,
  MAX_TROUBLE_CODES,
  type Sample,
  signalByName,
} from '@fleetline/proto';
import type { Logger } from 'pino';
import type { CollectionPolicy } from '../collect/policy.js';
import { SignalMapper } from '../signals/mapping.js';
import type { Reading } from '../signals/reading.js';
import { Spool } from '../spool/spool.js';
import { fitEvent, fitTelemetry } from '../uplink/fit.js';
import { MqttUplink } from '../uplink/mqtt-uplink.js';
import { SpoolSender } from '../uplink/sender.js';
import type { AgentConfig } from './config.js';
import { LogLimiter } from './log-limiter.js';
import { type AgentMetrics, agentMetrics, serveMetrics } from './metrics.js';
import { TelemetryPipeline } from './pipeline.js';

/**
 * The running agent: inputs → pipeline → spool → uplink. Everything that leaves the vehicle
 * goes through the spool first.
 */

/** One of the agent's inputs (CAN, OBD-II, GNSS, IMU), built from the config. */
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

export const AGENT_VERSION = '0.1.0';
/** Half the gateway's default packet limit (MQTT_MAX_PACKET_BYTES, 256 KiB). */
const DEFAULT_MAX_BATCH_BYTES = 128 * 1024;

export interface RunningAgent {
  readonly metrics: AgentMetrics;
  readonly metricsPort: number | undefined;
  readonly spool: Spool;
  readonly pipeline: TelemetryPipeline;
  /** Stops the inputs, spools the open batch, gives the uplink a moment to drain, closes. */
  stop(drainMs?: number): Promise<void>;
}

export async function startAgent(
  config: AgentConfig,
  logger: Logger,
  inputs: InputFactory,
): Promise<RunningAgent> {
  const metrics = agentMetrics();
  const spool = await Spool.open({
    dir: config.spool.dir,
    maxBytes: config.spool.maxBytes ?? 256 * 1024 * 1024,
  });
  for (const damage of spool.openReport.damage)
    logger.warn({ damage }, 'spool damage found and cut off at open');
  logger.info({ nextSeq: spool.nextSeq, seqEpoch: spool.seqEpoch, ...spool.stats() }, 'spool open');

  // Every message the agent publishes is at most this big, events as well as batches.
  const maxBatchBytes = config.uplink.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const spoolTelemetry = async (samples: Sample[]): Promise<void> => {
    for (const part of fitTelemetry(config.deviceId, samples, maxBatchBytes)) {
      const seq = await spool.add('telemetry', (s, seqEpoch) =>
        encodeTelemetryBatch({ deviceId: config.deviceId, seq: s, seqEpoch, samples: part }),
      );
      if (seq === undefined) logger.warn('spool full of events: telemetry batch dropped');
      else metrics.batches.inc();
    }
  };
  let pendingWrites: Promise<unknown> = Promise.resolve();
  const addEvent = (timeMs: number, payload: EventPayload) =>
    spool.add('event', (s, seqEpoch) =>
      encodeEvent({ deviceId: config.deviceId, seq: s, seqEpoch, timeMs, payload }),
    );
  /**
   * Spools an event as the messages it fits in (see fit.ts). Resolves with the seq of the
   * first — the collision itself, which the rest of its window names — as soon as that one is
   * on disk; the parts after it are spooled right behind it.
   */
  const spoolEvent = (payload: EventPayload, timeMs: number): Promise<number | undefined> => {
    metrics.events.inc({ kind: payload.kind });
    let rest: Promise<unknown> = Promise.resolve();
    const seq = (async () => {
      const fitted = fitEvent(config.deviceId, payload, timeMs, maxBatchBytes);
      if (fitted.leftOut > 0) {
        metrics.troubleCodesLeftOut.inc(fitted.leftOut);
        logger.warn(
          { reported: fitted.leftOut + MAX_TROUBLE_CODES, leftOut: fitted.leftOut },
          `more trouble codes than one event carries: the ${MAX_TROUBLE_CODES} most important sent`,
        );
      }
      const first = await addEvent(timeMs, fitted.first);
      const later = fitted.rest(first ?? 0);
      if (later.length > 0) {
        logger.info({ kind: payload.kind, seq: first, messages: later.length + 1 }, 'event split');
        // Added at once: the spool gives them rising seqs in this (time) order.
        rest = Promise.all(later.map((p) => addEvent(timeMs, p)));
        rest.catch((err: Error) => logger.error({ err }, 'part of an event could not be spooled'));
      }
      return first;
    })();
    pendingWrites = pendingWrites
      .then(() => seq)
      .then(() => rest)
      .catch(() => {});
    seq.catch((err: Error) => logger.error({ err }, 'event could not be spooled'));
    return seq;
  };

  const collection = config.collection;
  const defaultPolicy: CollectionPolicy = collection?.default ?? { kind: 'period', periodMs: 1000 };
  const policies = new Map<number, CollectionPolicy>();
  for (const [name, policy] of Object.entries(collection?.signals ?? {})) {
    const s = signalByName(name);
    if (s) policies.set(s.id, policy);
  }
  const mapper = new SignalMapper(config.signals);
  const pipeline = new TelemetryPipeline(
    {
      mapper,
      policyOf: (id) => policies.get(id) ?? defaultPolicy,
      triggers: config.triggers ?? [],
      crash: config.crash,
      batchIntervalMs: config.uplink.batchIntervalMs ?? 5000,
      // Worst case ~14 bytes a sample (a double plus its time delta and series overhead).
      maxBatchSamples: Math.floor(maxBatchBytes / 14),
    },
    {
      telemetry: (samples) => {
        pendingWrites = pendingWrites
          .then(() => spoolTelemetry(samples))
          .catch((err: Error) => {
            logger.error({ err }, 'telemetry batch could not be spooled');
          });
      },
      event: spoolEvent,
    },
  );

  const uplink = new MqttUplink({
    url: config.uplink.url,
    deviceId: config.deviceId,
    agentVersion: AGENT_VERSION,
    ...(config.uplink.username === undefined ? {} : { username: config.uplink.username }),
    ...(config.uplink.password === undefined ? {} : { password: config.uplink.password }),
    tls: {
      ...(config.uplink.caFile ? { ca: readFileSync(config.uplink.caFile) } : {}),
      ...(config.uplink.certFile ? { cert: readFileSync(config.uplink.certFile) } : {}),
      ...(config.uplink.keyFile ? { key: readFileSync(config.uplink.keyFile) } : {}),
    },
  });
  uplink.on('state', (state) => {
    metrics.uplinkOnline.set(state === 'online' ? 1 : 0);
    logger.info({ state }, 'uplink');
  });
  uplink.on('error', (err) => logger.warn({ err: err.message }, 'uplink error'));
  const sender = new SpoolSender(spool, uplink, { window: config.uplink.window ?? 16 });
  sender.start();

  const logLimiter = new LogLimiter(10, 60_000);
  const counts = { canFrames: 0 };
  const readingCounts = new Map<string, number>();
  const context: InputContext = {
    reading: (r) => {
      const input = r.name.slice(0, r.name.indexOf('.'));
      readingCounts.set(input, (readingCounts.get(input) ?? 0) + 1);
      pipeline.ingest(r, Date.now());
    },
    wants: (name) => mapper.wants(name),
    inputError: (input, err) => {
      metrics.inputErrors.inc({ input, code: (err as { code?: string }).code ?? 'ERROR' });
      // Every bad input is counted; the log gets at most a few lines a minute per input.
      if (logLimiter.allow(input)) logger.warn({ input, err: err.message }, 'bad input');
    },
    event: spoolEvent,
    counts,
    metrics,
    logger,
  };
  const started: ReadingInput[] = [];
  let lastAcked = 0;
  let metricsServer: Server | undefined;
  const refresh = () => {
    const s = spool.stats();
    metrics.spoolDepth.set({ kind: 'event' }, s.eventDepth);
    metrics.spoolDepth.set({ kind: 'telemetry' }, s.telemetryDepth);
    metrics.spoolBytes.set(s.bytes);
    metrics.spoolDropped.set(s.dropped);
    metrics.uplinkInFlight.set(sender.stats.inFlight);
    metrics.published.inc(sender.stats.acked - lastAcked);
    lastAcked = sender.stats.acked;
    metrics.canFrames.inc(counts.canFrames);
    counts.canFrames = 0;
    for (const [input, n] of readingCounts) metrics.readings.inc({ input }, n);
    readingCounts.clear();
  };
  let lastSeen = { ...pipeline.stats };
  const ticker = setInterval(() => {
    pipeline.tick(Date.now());
    const now = pipeline.stats;
    metrics.samples.inc(now.samples - lastSeen.samples);
    metrics.collected.inc(now.collected - lastSeen.collected);
    lastSeen = { ...now };
    refresh();
  }, 100);
  try {
    for (const input of await inputs(config, context)) {
      await input.start();
      started.push(input);
      logger.info({ input: input.name }, 'input started');
    }
    if (config.metrics) {
      metricsServer = await serveMetrics(
        metrics.registry,
        config.metrics.host ?? '127.0.0.1',
        config.metrics.port,
      );
    }
  } catch (err) {
    clearInterval(ticker);
    for (const input of started) await input.stop().catch(() => {});
    sender.stop();
    await uplink.close(true);
    await spool.close();
    throw err;
  }
  const address = metricsServer?.address();

  return {
    metrics,
    metricsPort: typeof address === 'object' && address ? address.port : undefined,
    spool,
    pipeline,
    async stop(drainMs = 5000) {
      for (const input of started.reverse())
        await input.stop().catch((err: Error) => logger.warn({ err }, 'input stop failed'));
      clearInterval(ticker);
      pipeline.flush();
      await pendingWrites;
      const drained = await sender.drained(drainMs);
      logger.info(
        { drained, ...spool.stats() },
        drained ? 'spool drained' : 'spool kept for next start',
      );
      sender.stop();
      await uplink.close(!drained);
      await spool.close();
      refresh();
      await new Promise<void>((r) => (metricsServer ? metricsServer.close(() => r()) : r()));
    },
  };
}
