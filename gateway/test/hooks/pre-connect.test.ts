import type { ConnectPacket } from 'aedes';
import { describe, expect, it } from 'vitest';
import { Connections } from '../../src/connections.js';
import { preConnectHook } from '../../src/hooks/pre-connect.js';
import { callback, fakeClient } from '../fakes.js';

const connect = (clientId: string) =>
  ({ cmd: 'connect', clientId, protocolId: 'MQTT', protocolVersion: 4 }) as ConnectPacket;

describe('preConnectHook', () => {
  it('should let every CONNECT on, noting those without a client id', async () => {
    const connections = new Connections();
    const preConnect = preConnectHook(connections);
    const anonymous = fakeClient('aedes_1');
    const named = fakeClient('dev-1');
    const a = callback<[Error | null, boolean]>();
    preConnect(anonymous, connect(''), a.fn);
    expect(await a.called).toEqual([null, true]);
    const b = callback<[Error | null, boolean]>();
    preConnect(named, connect('dev-1'), b.fn);
    expect(await b.called).toEqual([null, true]);
    expect(connections.hasNoClientId(anonymous)).toBe(true);
    expect(connections.hasNoClientId(named)).toBe(false);
  });
});
