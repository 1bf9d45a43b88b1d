import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A Prometheus registry for one process, with the Node.js process metrics in it. */
export function createMetricsRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  return registry;
}

/*
 * Get-or-create. prom-client registers a metric in the constructor and throws when the
 * registry already holds another metric of that name, so a component started twice on one
 * registry (two gateways in one test process, a service restarted in place) would fail at its
 * second start. These return the metric the registry holds under the name — shared, so both
 * instances count into it — and create it only when there is none. A metric of the name but of
 * another type is a programming error and throws.
 */

type Config<C> = Omit<C, 'registers'>;

function getOrCreate<M>(
  registry: Registry,
  name: string,
  type: abstract new (...args: never[]) => M,
  create: () => M,
): M {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return create();
  if (!(existing instanceof type)) {
    throw new TypeError(`metric ${name} is registered already, as another type than ${type.name}`);
  }
  return existing;
}

/** The registry's counter of this name, created on first use. */
export function getOrCreateCounter<T extends string>(
  registry: Registry,
  config: Config<CounterConfiguration<T>>,
): Counter<T> {
  return getOrCreate(
    registry,
    config.name,
    Counter<T>,
    () => new Counter<T>({ ...config, registers: [registry] }),
  );
}

/** The registry's gauge of this name, created on first use. */
export function getOrCreateGauge<T extends string>(
  registry: Registry,
  config: Config<GaugeConfiguration<T>>,
): Gauge<T> {
  return getOrCreate(
    registry,
    config.name,
    Gauge<T>,
    () => new Gauge<T>({ ...config, registers: [registry] }),
  );
}

/** The registry's histogram of this name, created on first use. */
export function getOrCreateHistogram<T extends string>(
  registry: Registry,
  config: Config<HistogramConfiguration<T>>,
): Histogram<T> {
  return getOrCreate(
    registry,
    config.name,
    Histogram<T>,
    () => new Histogram<T>({ ...config, registers: [registry] }),
  );
}
