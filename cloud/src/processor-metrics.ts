import {
  getOrCreateCounter,
  getOrCreateGauge,
  getOrCreateHistogram,
  type Registry,
} from '@fleetline/platform';
import type { VehicleOutcome } from './vehicle-messages.js';

/**
 * The processor's metrics, in the registry of its process. Each is created on first use and
 * shared after (getOrCreate…), so two processors on one registry — tests, an embedding
 * process — count into the same metrics instead of failing at the second start.
 *
 * Three gauges are read at scrape time rather than kept up to date: effects waiting out an
 * outage, live actors and their mailboxes' backlog. Each processor adds what they read from
 * while it runs (`observe`), and they report the sum over every processor on the registry.
 */

/** What the gauges read at scrape time, for one processor. */
export interface ObservedSources {
  /** Effects waiting for the telemetry database or log (the OutageGate). */
  gate: { readonly waiting: number };
  /** The vehicle actors. */
  actors: { readonly size: number; readonly backlog: number };
}

export type ProcessorMetrics = ReturnType<typeof processorMetrics>;

/** Per registry, the sources of the processors running on it (one entry per processor). */
const observed = new WeakMap<Registry, ObservedSources[]>();

export function processorMetrics(registry: Registry) {
  const sources = observed.get(registry) ?? [];
  observed.set(registry, sources);
  observedGauges(registry, sources);
  const metrics = {
    handled: getOrCreateCounter(registry, {
      name: 'fleetline_processor_records_total',
      help: 'Records handled by the processor, by topic and outcome (stored: its effects made durable; duplicate: handled before, skipped; dead-letter)',
      labelNames: ['topic', 'outcome'],
    }),
    samples: getOrCreateCounter(registry, {
      name: 'fleetline_processor_samples_stored_total',
      help: 'Samples written to the store',
    }),
    alerts: getOrCreateCounter(registry, {
      name: 'fleetline_processor_alert_changes_total',
      help: 'Alert changes published to alerts.v1, by type and transition (raised, cleared)',
      labelNames: ['type', 'transition'],
    }),
    duplicates: getOrCreateCounter(registry, {
      name: 'fleetline_processor_duplicates_total',
      help: 'Messages skipped because their vehicle had handled them already, by kind',
      labelNames: ['kind'],
    }),
    restarts: getOrCreateCounter(registry, {
      name: 'fleetline_processor_seq_restarts_total',
      help: 'Vehicles whose message stream started again (a new seq epoch; a seq far behind, or handled before but carried by a newer message), by reason',
      labelNames: ['reason'],
    }),
    clockFailures: getOrCreateCounter(registry, {
      name: 'fleetline_processor_clock_failures_total',
      help: 'Clock ticks whose effects could not be made durable (retried at the next tick)',
    }),
    batchSeconds: getOrCreateHistogram(registry, {
      name: 'fleetline_processor_batch_seconds',
      help: 'Time from a consumer batch handed over to its effects durable (before the commit)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    batchRecords: getOrCreateHistogram(registry, {
      name: 'fleetline_processor_batch_records',
      help: 'Records per consumer batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000],
    }),
  };
  return {
    ...metrics,
    /** Counts what a vehicle's messages stored and the alert changes they published. */
    countOutcome(outcome: VehicleOutcome): void {
      metrics.samples.inc(outcome.samples);
      for (const c of outcome.alertChanges) {
        metrics.alerts.inc({ type: c.type, transition: c.transition });
      }
    },
    /**
     * Lets the gauges read one processor's sources at every scrape, until the returned
     * function is called (when that processor closes).
     */
    observe(these: ObservedSources): () => void {
      sources.push(these);
      return () => {
        const i = sources.indexOf(these);
        if (i >= 0) sources.splice(i, 1);
      };
    },
  };
}

/** The gauges read at scrape time, from every processor's sources on the registry. */
function observedGauges(registry: Registry, sources: ObservedSources[]): void {
  getOrCreateGauge(registry, {
    name: 'fleetline_processor_waiting_effects',
    help: 'Effects waiting for the store or log to become available again (0: no outage)',
    collect() {
      this.set(sum(sources.map((s) => s.gate.waiting)));
    },
  });
  getOrCreateGauge(registry, {
    name: 'fleetline_processor_actors',
    help: 'Live vehicle actors',
    collect() {
      this.set(sum(sources.map((s) => s.actors.size)));
    },
  });
  getOrCreateGauge(registry, {
    name: 'fleetline_processor_mailbox_backlog',
    help: 'Messages queued in the vehicle actors’ mailboxes',
    collect() {
      this.set(sum(sources.map((s) => s.actors.backlog)));
    },
  });
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
