import type { PublishPacket } from 'aedes';
import { describe, expect, it } from 'vitest';
import type { UplinkTopic } from '../../src/acl.js';
import { Connections } from '../../src/connections.js';
import { NotAuthorizedError } from '../../src/errors.js';
import { authorizePublishHook } from '../../src/hooks/authorize-publish.js';
import { callback, fakeClient, refusalRecorder, testMetrics } from '../fakes.js';

const publish = (topic: string) =>
  ({
    cmd: 'publish',
    topic,
    payload: Buffer.from('x'),
    qos: 1,
    dup: false,
    retain: false,
  }) as PublishPacket;

function rig() {
  const connections = new Connections();
  const refusals = refusalRecorder();
  const metrics = testMetrics();
  const taken: { deviceId: string; topic: UplinkTopic; packet: PublishPacket }[] = [];
  const authorizePublish = authorizePublishHook({
    connections,
    aclDenials: metrics.m.aclDenials,
    refusals,
    // The uplink acknowledges at once here; its own tests cover what it does.
    uplink: {
      take(deviceId, topic, packet, done) {
        taken.push({ deviceId, topic, packet });
        done(null);
      },
    },
  });
  const device = fakeClient('dev-1');
  connections.authenticated(device, 'dev-1');
  const run = async (client: ReturnType<typeof fakeClient> | null, topic: string) => {
    const done = callback<[(Error | null)?]>();
    authorizePublish(client, publish(topic), done.fn);
    return (await done.called)[0];
  };
  return { refusals, metrics, taken, device, run };
}

describe('authorizePublishHook', () => {
  it('should hand a device’s publish on its own uplink topics to the uplink', async () => {
    const r = rig();
    for (const kind of ['telemetry', 'events', 'status']) {
      expect(await r.run(r.device, `v1/dev-1/${kind}`)).toBeNull();
    }
    expect(r.taken.map((t) => [t.deviceId, t.topic, t.packet.topic])).toEqual([
      ['dev-1', { deviceId: 'dev-1', kind: 'telemetry' }, 'v1/dev-1/telemetry'],
      ['dev-1', { deviceId: 'dev-1', kind: 'events' }, 'v1/dev-1/events'],
      ['dev-1', { deviceId: 'dev-1', kind: 'status' }, 'v1/dev-1/status'],
    ]);
    expect(r.refusals.lines).toEqual([]);
  });

  it('should refuse other devices’ topics, its commands topic and any other topic', async () => {
    const r = rig();
    for (const topic of ['v1/dev-2/telemetry', 'v1/dev-1/commands', 'v1/dev-1/other', 'a/b']) {
      const err = await r.run(r.device, topic);
      expect(err).toBeInstanceOf(NotAuthorizedError);
      expect(err?.message).toBe(`dev-1 may not publish to ${topic}`);
    }
    expect(r.taken).toEqual([]);
    expect(await r.metrics.counts('fleetline_gateway_acl_denials_total')).toEqual({ publish: 4 });
    expect(r.refusals.lines[0]).toEqual({
      level: 'warn',
      key: 'dev-1',
      fields: { deviceId: 'dev-1', topic: 'v1/dev-2/telemetry' },
      msg: 'publish refused: not one of the device’s own topics',
    });
  });

  it('should refuse a publish of a connection that is no device', async () => {
    const r = rig();
    expect(await r.run(fakeClient('stranger'), 'v1/stranger/telemetry')).toBeInstanceOf(
      NotAuthorizedError,
    );
    expect(r.refusals.lines[0]?.key).toBe('stranger');
  });

  it('should check a will from another broker (no client) against its topic alone', async () => {
    const r = rig();
    expect(await r.run(null, 'v1/dev-3/status')).toBeNull();
    expect(r.taken.map((t) => t.deviceId)).toEqual(['dev-3']);
    expect(await r.run(null, 'v1/dev-3/commands')).toBeInstanceOf(NotAuthorizedError);
    expect(await r.run(null, 'not/a/device/topic')).toBeInstanceOf(NotAuthorizedError);
    expect(r.refusals.lines.map((l) => l.key)).toEqual(['dev-3', 'unknown']);
  });

  it('should clip a long topic in the log line and the error', async () => {
    const r = rig();
    const topic = `v1/dev-1/${'x'.repeat(70_000)}`;
    const err = await r.run(r.device, topic);
    expect(err?.message).toBe(
      `dev-1 may not publish to ${topic.slice(0, 160)}… (${topic.length} characters)`,
    );
    expect(String(r.refusals.lines[0]?.fields.topic)).toHaveLength(
      `${topic.slice(0, 160)}… (${topic.length} characters)`.length,
    );
  });
});
