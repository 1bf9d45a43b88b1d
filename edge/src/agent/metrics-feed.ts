import type { SpoolStats } from '../spool/spool.js';
import type { SenderStats } from '../uplink/sender.js';
import type { AgentMetrics } from './metrics.js';
import type { PipelineStats } from './pipeline.js';

/** Where the feed reads the state it turns into metrics. */
export interface MetricsFeedSources {
  spool: { stats(): SpoolStats };
  sender: { readonly stats: Readonly<SenderStats> };
  pipeline: { readonly stats: Readonly<PipelineStats> };
}

/**
 * Moves into the Prometheus metrics what the agent counts elsewhere: the hot path (a CAN frame,
 * a reading) only adds to a plain number, and the pipeline, spool and sender keep their own
 * stats. The agent's clock calls tick() ten times a second, and stop calls refresh() once more
 * so the metrics end with what was delivered.
 */
export class MetricsFeed {
  /** Added to by the CAN input for every frame. */
  readonly counts = { canFrames: 0 };
  private readonly readingCounts = new Map<string, number>();
  private lastAcked = 0;
  private lastSeen: PipelineStats;

  constructor(
    private readonly metrics: AgentMetrics,
    private readonly sources: MetricsFeedSources,
  ) {
    this.lastSeen = { ...sources.pipeline.stats };
  }

  /** Counts a reading under its input: the name's first part (`gnss` of `gnss.latitude`). */
  countReading(readingName: string): void {
    const input = readingName.slice(0, readingName.indexOf('.'));
    this.readingCounts.set(input, (this.readingCounts.get(input) ?? 0) + 1);
  }

  /** The pipeline's progress since the last tick, then everything refresh() moves. */
  tick(): void {
    const now = this.sources.pipeline.stats;
    this.metrics.samples.inc(now.samples - this.lastSeen.samples);
    this.metrics.collected.inc(now.collected - this.lastSeen.collected);
    this.lastSeen = { ...now };
    this.refresh();
  }

  /** The spool's and the sender's state, and the counts taken since the last refresh. */
  refresh(): void {
    const { metrics } = this;
    const s = this.sources.spool.stats();
    metrics.spoolDepth.set({ kind: 'event' }, s.eventDepth);
    metrics.spoolDepth.set({ kind: 'telemetry' }, s.telemetryDepth);
    metrics.spoolBytes.set(s.bytes);
    metrics.spoolDropped.set(s.dropped);
    const sender = this.sources.sender.stats;
    metrics.uplinkInFlight.set(sender.inFlight);
    metrics.published.inc(sender.acked - this.lastAcked);
    this.lastAcked = sender.acked;
    metrics.canFrames.inc(this.counts.canFrames);
    this.counts.canFrames = 0;
    for (const [input, n] of this.readingCounts) metrics.readings.inc({ input }, n);
    this.readingCounts.clear();
  }
}
