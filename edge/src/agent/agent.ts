import type { Logger } from 'pino';
import type { Spool } from '../spool/spool.js';
import { startWithCleanup } from './cleanup-stack.js';
import type { AgentConfig } from './config.js';
import { Delivery } from './delivery.js';
import { createInputContext, type InputFactory, startInputs } from './input.js';
import { type AgentMetrics, agentMetrics } from './metrics.js';
import { MetricsEndpoint } from './metrics-endpoint.js';
import { MetricsFeed } from './metrics-feed.js';
import { TelemetryPipeline } from './pipeline.js';
import { pipelineOptions } from './pipeline-options.js';
import { openSpool, SpoolWriter } from './spool-writer.js';

/**
 * The running agent: inputs → pipeline → spool → uplink. Everything that leaves the vehicle
 * goes through the spool first.
 */

export type { InputContext, InputFactory, ReadingInput } from './input.js';
export { AGENT_VERSION } from './version.js';

/** Half the gateway's default packet limit (MQTT_MAX_PACKET_BYTES, 256 KiB). */
const DEFAULT_MAX_BATCH_BYTES = 128 * 1024;
/** How often the pipeline's clock ticks (batches and windows close) and the metrics move. */
const TICK_MS = 100;

export interface RunningAgent {
  readonly metrics: AgentMetrics;
  readonly metricsPort: number | undefined;
  readonly spool: Spool;
  readonly pipeline: TelemetryPipeline;
  /** Stops the inputs, spools the open batch, gives the uplink a moment to drain, closes. */
  stop(drainMs?: number): Promise<void>;
}

/**
 * Starts the agent's parts in order, each registering on one cleanup stack what undoes it:
 * a failed start closes what it had opened, newest first, and stop() closes the same stack —
 * the inputs, the clock, the drain, the uplink, the spool, and the metrics listener last.
 */
export function startAgent(
  config: AgentConfig,
  logger: Logger,
  inputs: InputFactory,
): Promise<RunningAgent> {
  return startWithCleanup(async (cleanup) => {
    const metrics = agentMetrics();
    const endpoint = cleanup.adopt(new MetricsEndpoint(metrics.registry));
    const spool = cleanup.adopt(await openSpool(config.spool, logger));

    // Every message the agent publishes is at most this big, events as well as batches.
    const maxBatchBytes = config.uplink.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    const writer = new SpoolWriter(
      spool,
      { deviceId: config.deviceId, maxBatchBytes },
      metrics,
      logger,
    );
    const options = pipelineOptions(config, maxBatchBytes);
    const pipeline = new TelemetryPipeline(options, writer);
    const delivery = cleanup.adopt(new Delivery(spool, config, metrics, logger));
    const feed = new MetricsFeed(metrics, { spool, sender: delivery.sender, pipeline });

    // Registered before the clock and the inputs, so that at stop it runs once they have
    // stopped: the open batch and every write on its way reach the spool, and the uplink gets
    // `drainMs` to send them. A failed start skips it: what was spooled stays for next time.
    let drainMs: number | undefined;
    cleanup.defer(async () => {
      if (drainMs === undefined) return;
      pipeline.flush();
      await writer.settled();
      await delivery.drain(drainMs);
      feed.refresh();
    });
    const clock = setInterval(() => {
      pipeline.tick(Date.now());
      feed.tick();
    }, TICK_MS);
    cleanup.defer(() => clearInterval(clock));

    const context = createInputContext({
      ingest: (r, nowMs) => pipeline.ingest(r, nowMs),
      wants: (name) => options.mapper.wants(name),
      event: (payload, timeMs) => writer.event(payload, timeMs),
      feed,
      metrics,
      logger,
    });
    await startInputs(await inputs(config, context), cleanup, logger);
    if (config.metrics)
      await endpoint.listen(config.metrics.host ?? '127.0.0.1', config.metrics.port);

    return {
      metrics,
      metricsPort: endpoint.port,
      spool,
      pipeline,
      async stop(ms = 5000) {
        drainMs = ms;
        await cleanup.close();
      },
    };
  });
}
