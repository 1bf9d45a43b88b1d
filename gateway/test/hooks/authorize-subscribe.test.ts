import type { Subscription } from 'aedes';
import { describe, expect, it } from 'vitest';
import { Connections } from '../../src/connections.js';
import { authorizeSubscribeHook } from '../../src/hooks/authorize-subscribe.js';
import { callback, fakeClient, refusalRecorder, testMetrics } from '../fakes.js';

type Done = [Error | null, (Subscription | null)?];

function rig() {
  const connections = new Connections();
  const refusals = refusalRecorder();
  const metrics = testMetrics();
  const authorizeSubscribe = authorizeSubscribeHook({
    connections,
    aclDenials: metrics.m.aclDenials,
    refusals,
  });
  const device = fakeClient('dev-1');
  connections.authenticated(device, 'dev-1');
  const subscribe = async (client: ReturnType<typeof fakeClient>, topic: string) => {
    const done = callback<Done>();
    authorizeSubscribe(client, { topic, qos: 1 } as Subscription, done.fn);
    return done.called;
  };
  return { refusals, metrics, device, subscribe };
}

describe('authorizeSubscribeHook', () => {
  it('should grant a device its own commands topic', async () => {
    const r = rig();
    expect(await r.subscribe(r.device, 'v1/dev-1/commands')).toEqual([
      null,
      { topic: 'v1/dev-1/commands', qos: 1 },
    ]);
    expect(r.refusals.lines).toEqual([]);
  });

  it('should answer anything else with a failed SUBACK, keeping the connection', async () => {
    const r = rig();
    for (const topic of ['v1/dev-2/commands', 'v1/dev-1/telemetry', 'v1/+/commands', '#']) {
      // A null subscription is SUBACK 0x80; no error, so aedes keeps the connection.
      expect(await r.subscribe(r.device, topic)).toEqual([null, null]);
    }
    expect(await r.metrics.counts('fleetline_gateway_acl_denials_total')).toEqual({
      subscribe: 4,
    });
    expect(r.refusals.lines[0]).toEqual({
      level: 'warn',
      key: 'dev-1',
      fields: { deviceId: 'dev-1', topic: 'v1/dev-2/commands' },
      msg: 'subscribe refused: not the device’s own commands topic',
    });
  });

  it('should refuse a client that is no device, logged by its client id', async () => {
    const r = rig();
    expect(await r.subscribe(fakeClient('nobody'), 'v1/nobody/commands')).toEqual([null, null]);
    expect(r.refusals.lines[0]?.key).toBe('nobody');
  });
});
