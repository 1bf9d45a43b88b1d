import { Counter, callbackGuard, Gauge, Registry } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { FanOut } from '../../src/live/fan-out.js';
import { LiveRecordDecoder } from '../../src/live/record-decoder.js';
import { alertRecord, keptLogger, read as reader, telemetryRecord } from './live-records.js';

function fanOut() {
  const registry = new Registry();
  const { logger } = keptLogger();
  const counter = (name: string, label: string) =>
    new Counter({ name, help: name, labelNames: [label], registers: [registry] });
  const subscribers = new Gauge({ name: 'subscribers', help: 's', registers: [registry] });
  const joined: string[] = [];
  const f = new FanOut({
    stateIntervalMs: 0,
    queueLimit: 100,
    alertsPerVehicle: 10,
    now: () => 0,
    guard: callbackGuard({ logger, metrics: registry }),
    logger,
    decoder: new LiveRecordDecoder({
      skipped: counter('skipped', 'topic') as Counter<'topic'>,
      logger,
      now: () => 0,
    }),
    dropped: counter('dropped', 'kind') as Counter<'kind'>,
    subscribers,
    onJoin: (filter) => joined.push(`+${[...filter.kinds].join(',')}`),
    onLeave: (filter) => joined.push(`-${[...filter.kinds].join(',')}`),
  });
  const gauge = async () => (await subscribers.get()).values[0]?.value;
  return { f, joined, gauge };
}

describe('FanOut', () => {
  it('should offer each record to every subscriber, each getting what its filter takes', async () => {
    const { f, gauge } = fanOut();
    const alerts = reader(f, ['alerts']);
    const veh2 = reader(f, ['state', 'alerts'], ['veh-2']);
    expect(f.size).toBe(2);
    expect(await gauge()).toBe(2);
    f.deliver([
      alertRecord('al-1', 'veh-1'),
      telemetryRecord('veh-2', 30),
      alertRecord('al-2', 'veh-2'),
    ]);
    expect(alerts.messages.map((m) => m.event === 'alert' && m.data.id)).toEqual(['al-1', 'al-2']);
    expect(veh2.messages.map((m) => m.event)).toEqual(['state', 'alert']);
  });

  it('should tell who joins and leaves, and end those picked with a final error', async () => {
    const { f, joined, gauge } = fanOut();
    const alerts = reader(f, ['alerts']);
    const state = reader(f, ['state']);
    f.end('state stopped', (filter) => filter.kinds.has('state'));
    expect(state.sub.ended).toBe(true);
    expect(state.messages.at(-1)).toEqual({ event: 'error', data: { message: 'state stopped' } });
    expect(alerts.sub.ended).toBe(false);
    alerts.sub.close();
    expect(joined).toEqual(['+alerts', '+state', '-state', '-alerts']);
    expect(f.size).toBe(0);
    expect(await gauge()).toBe(0);
  });

  it('should end everyone once closed, and a later subscriber at once', () => {
    const { f, joined } = fanOut();
    const before = reader(f, ['alerts']);
    f.close('closing');
    expect(before.messages).toEqual([{ event: 'error', data: { message: 'closing' } }]);
    const after = reader(f, ['alerts', 'state']);
    expect(after.sub.ended).toBe(true);
    expect(after.messages).toEqual([]);
    expect(joined).toEqual(['+alerts', '-alerts']);
    f.deliver([alertRecord('al-1')]);
    expect(after.messages).toEqual([]);
  });

  it('should serve the other subscribers when one throws', () => {
    const { f } = fanOut();
    f.subscribe({ kinds: new Set(['alerts']) }, () => {
      throw new Error('this reader broke');
    });
    const good = reader(f, ['alerts']);
    f.deliver([alertRecord('al-1')]);
    f.deliver([alertRecord('al-2')]);
    expect(good.messages.map((m) => m.event === 'alert' && m.data.id)).toEqual(['al-1', 'al-2']);
  });
});
