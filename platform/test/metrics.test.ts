import { describe, expect, it } from 'vitest';
import {
  Counter,
  Gauge,
  getOrCreateCounter,
  getOrCreateGauge,
  getOrCreateHistogram,
  Histogram,
  Registry,
} from '../src/index.js';

describe('getOrCreate metrics', () => {
  it('should create a metric on first use and hand the same one back after', async () => {
    const registry = new Registry();
    const config = { name: 'test_things_total', help: 'Things', labelNames: ['kind'] };
    const first = getOrCreateCounter(registry, config);
    const second = getOrCreateCounter(registry, config);
    expect(first).toBeInstanceOf(Counter);
    expect(second).toBe(first);
    first.inc({ kind: 'a' });
    second.inc({ kind: 'a' });
    const values = (await registry.getSingleMetric('test_things_total')?.get())?.values;
    expect(values).toEqual([{ labels: { kind: 'a' }, value: 2 }]);
  });

  it('should do the same for gauges and histograms', () => {
    const registry = new Registry();
    const gauge = getOrCreateGauge(registry, { name: 'test_level', help: 'Level' });
    expect(gauge).toBeInstanceOf(Gauge);
    expect(getOrCreateGauge(registry, { name: 'test_level', help: 'Level' })).toBe(gauge);
    const histogram = getOrCreateHistogram(registry, { name: 'test_seconds', help: 'Time' });
    expect(histogram).toBeInstanceOf(Histogram);
    expect(getOrCreateHistogram(registry, { name: 'test_seconds', help: 'Time' })).toBe(histogram);
  });

  it('should keep metrics of one name in different registries apart', () => {
    const config = { name: 'test_apart_total', help: 'Apart' };
    expect(getOrCreateCounter(new Registry(), config)).not.toBe(
      getOrCreateCounter(new Registry(), config),
    );
  });

  it('should refuse a name the registry holds as another type', () => {
    const registry = new Registry();
    getOrCreateGauge(registry, { name: 'test_mixed', help: 'Mixed' });
    expect(() => getOrCreateCounter(registry, { name: 'test_mixed', help: 'Mixed' })).toThrow(
      /test_mixed is registered already, as another type than Counter/,
    );
  });
});
