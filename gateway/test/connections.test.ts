import { describe, expect, it } from 'vitest';
import { Connections } from '../src/connections.js';
import { fakeClient } from './fakes.js';

describe('Connections', () => {
  it('should know a connection by the stream a listener accepted, before it is a device', () => {
    const connections = new Connections();
    const stream = {};
    const client = fakeClient('dev-1', stream);
    expect(connections.addressOf(client)).toBe('unknown');
    connections.accepted(stream, { address: '10.0.0.1', certificateDeviceId: 'dev-1' });
    expect(connections.info(client)).toEqual({
      address: '10.0.0.1',
      certificateDeviceId: 'dev-1',
    });
    expect(connections.addressOf(client)).toBe('10.0.0.1');
    expect(connections.deviceOf(client)).toBeUndefined();
  });

  it('should remember which CONNECTs came without a client id', () => {
    const connections = new Connections();
    const anonymous = fakeClient('aedes_made_up');
    connections.connectedWithoutClientId(anonymous);
    expect(connections.hasNoClientId(anonymous)).toBe(true);
    expect(connections.hasNoClientId(fakeClient('dev-1'))).toBe(false);
  });

  it('should make a ready connection its device’s current one, and a takeover the newer', () => {
    const connections = new Connections();
    const first = fakeClient('dev-1');
    const second = fakeClient('dev-1');
    connections.authenticated(first, 'dev-1');
    // Authenticated is not yet connected: the device has no connection here until ready.
    expect(connections.connectionOf('dev-1')).toBeUndefined();
    connections.ready(first);
    expect(connections.connectionOf('dev-1')).toBe(first);
    connections.authenticated(second, 'dev-1');
    connections.ready(second);
    expect(connections.isCurrent('dev-1', second)).toBe(true);
    expect(connections.isCurrent('dev-1', first)).toBe(false);
    // The older connection ending leaves the newer one in place.
    connections.disconnected(first);
    expect(connections.connectionOf('dev-1')).toBe(second);
    expect(connections.devices()).toEqual([['dev-1', second]]);
    connections.disconnected(second);
    expect(connections.devices()).toEqual([]);
  });

  it('should keep a connection that never authenticated out of the devices', () => {
    const connections = new Connections();
    const client = fakeClient('stranger');
    connections.ready(client);
    connections.disconnected(client);
    expect(connections.devices()).toEqual([]);
  });
});
