import type { CommandQueue, HeldCommand } from '@fleetline/platform';
import { encodeCommand } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { AwaitingAck, heldCommands } from '../src/command-delivery.js';
import { fakeClient, silentLogger, testMetrics } from './fakes.js';

const commandPayload = (commandId: string) =>
  encodeCommand({
    commandId,
    deviceId: 'dev-1',
    issuedAtMs: 1_764_000_000_000,
    expiresAtMs: 0,
    action: { kind: 'ping' },
  });

const held = (commandId: string): HeldCommand => ({
  deviceId: 'dev-1',
  commandId,
  payload: commandPayload(commandId),
  expiresMs: Number.MAX_SAFE_INTEGER,
  loggedMs: 1,
  logOffset: 1,
});

describe('AwaitingAck', () => {
  it('should pair a clean session’s PUBACKs with the commands sent, oldest first', () => {
    const acks = new AwaitingAck();
    const client = fakeClient('dev-1');
    acks.sent(client, { qos: 1 }, commandPayload('c-1'));
    // Not a command: it still takes its place in the order, and names no command.
    acks.sent(client, { qos: 1 }, new Uint8Array([0xff]));
    acks.sent(client, { qos: 1 }, commandPayload('c-3'));
    expect([acks.next(client), acks.next(client), acks.next(client), acks.next(client)]).toEqual([
      'c-1',
      '',
      'c-3',
      undefined,
    ]);
  });

  it('should keep nothing for persistent sessions, QoS 0 or no subscription', () => {
    const acks = new AwaitingAck();
    const persistent = Object.assign(fakeClient('dev-1'), { clean: false });
    acks.sent(persistent, { qos: 1 }, commandPayload('c-1'));
    const clean = fakeClient('dev-1');
    acks.sent(clean, { qos: 0 }, commandPayload('c-2'));
    acks.sent(clean, undefined, commandPayload('c-3'));
    expect([acks.next(persistent), acks.next(clean)]).toEqual([undefined, undefined]);
  });
});

describe('heldCommands', () => {
  function rig(pending: () => Promise<HeldCommand[]>) {
    const metrics = testMetrics();
    const reads: string[] = [];
    const hold: CommandQueue = {
      holdCommand: async () => {},
      pendingCommands: async (deviceId) => {
        reads.push(deviceId);
        return pending();
      },
      acknowledgeCommand: async () => {},
    };
    const published: string[] = [];
    const serve = heldCommands(
      { hold, commands: metrics.m.commands },
      async (_client, _deviceId, payload) => {
        published.push(Buffer.from(payload).toString('hex'));
      },
      silentLogger,
    );
    return { metrics, reads, published, serve };
  }

  it('should send a connection its device’s held commands in order, once', async () => {
    const r = rig(async () => [held('c-1'), held('c-2')]);
    const client = fakeClient('dev-1');
    await r.serve(client, 'dev-1');
    await r.serve(client, 'dev-1'); // subscribing again within the connection: live only
    expect(r.reads).toEqual(['dev-1']);
    expect(r.published).toEqual(
      ['c-1', 'c-2'].map((id) => Buffer.from(commandPayload(id)).toString('hex')),
    );
    expect(await r.metrics.counts('fleetline_gateway_commands_total')).toEqual({
      'delivered-held': 2,
    });
    // A new connection of the device is served again.
    await r.serve(fakeClient('dev-1'), 'dev-1');
    expect(r.reads).toEqual(['dev-1', 'dev-1']);
  });

  it('should try again at the next subscribe when the held commands could not be read', async () => {
    let fail = true;
    const r = rig(async () => {
      if (fail) throw new Error('store unreachable');
      return [held('c-1')];
    });
    const client = fakeClient('dev-1');
    await r.serve(client, 'dev-1');
    expect(r.published).toEqual([]);
    fail = false;
    await r.serve(client, 'dev-1');
    expect(r.published).toHaveLength(1);
  });

  it('should stop sending to a connection that closed', async () => {
    const client = Object.assign(fakeClient('dev-1'), { closed: true });
    const r = rig(async () => [held('c-1')]);
    await r.serve(client, 'dev-1');
    expect(r.published).toEqual([]);
  });

  it('should do nothing without a hold', async () => {
    const serve = heldCommands(
      { hold: undefined, commands: testMetrics().m.commands },
      async () => {
        throw new Error('nothing to publish');
      },
      silentLogger,
    );
    await expect(serve(fakeClient('dev-1'), 'dev-1')).resolves.toBeUndefined();
  });
});
