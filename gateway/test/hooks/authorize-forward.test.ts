import type { AedesPublishPacket } from 'aedes';
import { describe, expect, it } from 'vitest';
import { Connections } from '../../src/connections.js';
import { authorizeForwardHook } from '../../src/hooks/authorize-forward.js';
import { fakeClient } from '../fakes.js';

const packet = (topic: string) =>
  ({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1 }) as unknown as AedesPublishPacket;

describe('authorizeForwardHook', () => {
  it('should forward to a device only what is on its own commands topic', () => {
    const connections = new Connections();
    const device = fakeClient('dev-1');
    connections.authenticated(device, 'dev-1');
    const forward = authorizeForwardHook(connections);
    const own = packet('v1/dev-1/commands');
    expect(forward(device, own)).toBe(own);
    expect(forward(device, packet('v1/dev-2/commands'))).toBeNull();
    expect(forward(device, packet('v1/dev-1/telemetry'))).toBeNull();
    // A connection that is no device gets nothing.
    expect(forward(fakeClient('dev-1'), packet('v1/dev-1/commands'))).toBeNull();
  });
});
