import { Counter, Registry } from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { LiveRecordDecoder } from '../../src/live/record-decoder.js';
import { alertRecord, garbage, keptLogger, telemetryRecord } from './live-records.js';

function decoder(now = { ms: 0 }) {
  const registry = new Registry();
  const skipped = new Counter({
    name: 'skipped',
    help: 'skipped',
    labelNames: ['topic'],
    registers: [registry],
  });
  const { logger, lines } = keptLogger();
  const d = new LiveRecordDecoder({ skipped, logger, now: () => now.ms });
  const count = async (topic: string) =>
    (await skipped.get()).values.find((v) => v.labels.topic === topic)?.value ?? 0;
  return { d, lines, count, now };
}

describe('LiveRecordDecoder', () => {
  it('should decode the kinds asked for, and no other', () => {
    const { d } = decoder();
    expect(d.decode(alertRecord('al-1'), true, false)).toMatchObject({
      event: 'alert',
      data: { id: 'al-1' },
    });
    expect(d.decode(alertRecord('al-1'), false, true)).toBeUndefined();
    expect(d.decode(telemetryRecord('veh-2', 42), false, true)).toMatchObject({
      deviceId: 'veh-2',
    });
    expect(d.decode(telemetryRecord('veh-2', 42), true, false)).toBeUndefined();
  });

  it('should count a record that does not decode, and warn at most every ten seconds', async () => {
    const { d, lines, count, now } = decoder();
    expect(d.decode(garbage(kafkaTopics.alerts), true, true)).toBeUndefined();
    expect(d.decode(garbage(kafkaTopics.alerts), true, true)).toBeUndefined();
    now.ms = 9_999;
    d.decode(garbage(kafkaTopics.telemetry), true, true);
    expect(await count(kafkaTopics.alerts)).toBe(2);
    expect(await count(kafkaTopics.telemetry)).toBe(1);
    const warnings = () => lines.filter(([level]) => level === 'warn');
    expect(warnings()).toHaveLength(1);
    now.ms = 10_000;
    d.decode(garbage(kafkaTopics.telemetry), true, true);
    expect(warnings()).toHaveLength(2);
    // The second warning counts what was skipped since the first.
    expect(warnings()[1]?.[2]).toMatchObject({ topic: kafkaTopics.telemetry, skipped: 3 });
    expect(warnings()[1]?.[1]).toBe('live feed skipped records that do not decode');
  });
});
