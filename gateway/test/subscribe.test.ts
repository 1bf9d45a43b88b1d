import { encodeCommand, mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import type { RunningGateway } from '../src/gateway.js';
import { clientIdIdentity } from '../src/identity.js';
import { GatewayHarness, RawClient } from './support.js';

/**
 * SUBSCRIBE as MQTT 3.1.1 has it: one SUBACK return code per topic filter, in order
 * (MQTT-3.8.4-5, MQTT-3.9.3-1), a filter the topic rules refuse answered 0x80 — and never
 * kept in a persistent session, where it would deliver another device's commands later.
 */

const h = new GatewayHarness('subscribe');
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await h.start({ identity: clientIdIdentity, hold: h.telemetryDb });
});
afterAll(() => h.close());

async function connected(clientId: string, clean = true): Promise<RawClient> {
  const c = await RawClient.open(gateway.port);
  c.send({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean,
    keepalive: 30,
    clientId,
  });
  expect((await c.next('connack'))?.returnCode).toBe(0);
  return c;
}

async function suback(c: RawClient, filters: [string, 0 | 1 | 2][], messageId: number) {
  c.send({
    cmd: 'subscribe',
    messageId,
    subscriptions: filters.map(([topic, qos]) => ({ topic, qos })),
  });
  const ack = await c.next('suback');
  expect(ack?.messageId).toBe(messageId);
  return ack?.granted;
}

describe('gateway SUBSCRIBE', () => {
  it('should answer one code per filter, in order, refused ones 0x80', async () => {
    const c = await connected('sub-1');
    const own = mqttTopic('sub-1', 'commands');
    expect(
      await suback(
        c,
        [
          [mqttTopic('other-1', 'commands'), 1],
          [own, 1],
          ['v1/+/commands', 0],
        ],
        11,
      ),
    ).toEqual([0x80, 1, 0x80]);
    c.close();
  });

  it('should answer a filter given twice twice, as two SUBSCRIBEs in a row would be', async () => {
    const c = await connected('sub-2');
    const own = mqttTopic('sub-2', 'commands');
    // MQTT-3.8.4-4: as if received one after the other; the second replaces the first.
    expect(
      await suback(
        c,
        [
          [own, 1],
          [mqttTopic('x-2', 'commands'), 1],
          [own, 0],
        ],
        12,
      ),
    ).toEqual([1, 0x80, 0]);
    expect(
      await suback(
        c,
        [
          [own, 1],
          [own, 1],
        ],
        13,
      ),
    ).toEqual([1, 1]);
    c.close();
  });

  it('should keep no refused filter in a persistent session', async () => {
    const spy = await connected('spy-1', false);
    const victimTopic = mqttTopic('victim-1', 'commands');
    expect(
      await suback(
        spy,
        [
          [mqttTopic('spy-1', 'commands'), 1],
          [victimTopic, 1],
        ],
        14,
      ),
    ).toEqual([1, 0x80]);
    const withSpy = gateway.connectedClients;
    spy.close();
    await eventually(() => gateway.connectedClients < withSpy, 'the spy gone');
    const victim = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.port}`, {
      clientId: 'victim-1',
      reconnectPeriod: 0,
    });
    await victim.subscribeAsync(victimTopic, { qos: 1 });
    const received = new Promise<Buffer>((r) => victim.once('message', (_t, p) => r(p)));
    expect(await gateway.deliverCommand('victim-1', Buffer.from('for the victim only'))).toBe(true);
    expect((await received).toString()).toBe('for the victim only');
    // A command of the spy's own, held while it was away, comes after whatever its session
    // had queued for it: once it is there, nothing of the victim's is still on its way.
    const own = encodeCommand({
      commandId: 'spy-own-1',
      deviceId: 'spy-1',
      issuedAtMs: Date.now(),
      expiresAtMs: 0,
      action: { kind: 'ping' },
    });
    await h.telemetryDb.holdCommand({
      deviceId: 'spy-1',
      commandId: 'spy-own-1',
      payload: own,
      expiresMs: Date.now() + 60_000,
      loggedMs: Date.now(),
      logOffset: 0,
    });
    const back = await connected('spy-1', false);
    const first = await back.next('publish');
    expect(Buffer.from(first?.payload ?? '')).toEqual(Buffer.from(own));
    expect(back.packets.filter((p) => p.cmd === 'publish').map((p) => p.topic)).toEqual([
      mqttTopic('spy-1', 'commands'),
    ]);
    back.close();
    await victim.endAsync();
  });
});
