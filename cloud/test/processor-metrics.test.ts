import { Registry } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { processorMetrics } from '../src/processor-metrics.js';

const value = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

describe('the processor’s metrics', () => {
  it('should be shared by two processors on one registry instead of failing at the second', () => {
    const registry = new Registry();
    const first = processorMetrics(registry);
    const second = processorMetrics(registry);
    expect(second.handled).toBe(first.handled);
    expect(second.batchSeconds).toBe(first.batchSeconds);
  });

  it('should sum the gauges over the processors running, and drop one that closed', async () => {
    const registry = new Registry();
    const a = processorMetrics(registry);
    const b = processorMetrics(registry);
    const stopA = a.observe({ gate: { waiting: 2 }, actors: { size: 10, backlog: 3 } });
    b.observe({ gate: { waiting: 1 }, actors: { size: 5, backlog: 4 } });
    expect(await value(registry, 'fleetline_processor_waiting_effects')).toBe(3);
    expect(await value(registry, 'fleetline_processor_actors')).toBe(15);
    expect(await value(registry, 'fleetline_processor_mailbox_backlog')).toBe(7);
    stopA();
    expect(await value(registry, 'fleetline_processor_actors')).toBe(5);
  });

  it('should count a vehicle’s outcome: samples stored and alert changes by type and transition', async () => {
    const registry = new Registry();
    const m = processorMetrics(registry);
    const change = { type: 'overheat', transition: 'raised' } as const;
    m.countOutcome({
      poisoned: [],
      duplicates: [],
      samples: 12,
      alertChanges: [
        {
          ...change,
          alertId: 'a',
          deviceId: 'v',
          conditionKey: 'k',
          timeMs: 0,
          severity: 'warning',
          evidence: {},
          clearsWhen: '',
        },
      ],
    });
    expect(await value(registry, 'fleetline_processor_samples_stored_total')).toBe(12);
    const alerts = await registry.getSingleMetric('fleetline_processor_alert_changes_total')?.get();
    expect(alerts?.values).toEqual([{ labels: change, value: 1 }]);
  });
});
