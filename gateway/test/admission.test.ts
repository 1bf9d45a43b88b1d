import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { type Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { admission } from '../src/admission.js';
import { ConnectionGate } from '../src/connection-gate.js';
import { Connections } from '../src/connections.js';
import { fakeClient, refusalRecorder, testMetrics } from './fakes.js';

/** A raw socket as a listener shows it: its address, close and destroy. */
function fakeSocket(remoteAddress: string) {
  const socket = Object.assign(new EventEmitter(), {
    remoteAddress,
    destroyed: false,
    destroy() {
      socket.destroyed = true;
    },
  });
  return socket as unknown as Socket & { destroyed: boolean };
}

function rig(maxConnections = 10) {
  const gate = new ConnectionGate({
    maxConnections,
    maxConnectionsPerAddress: 10,
    ratePerAddress: 100,
  });
  const connections = new Connections();
  const metrics = testMetrics();
  const refusals = refusalRecorder();
  const handled: Duplex[] = [];
  const hooks = admission({
    gate,
    maxPacketBytes: 1024,
    connections,
    connectionsRefused: metrics.m.connectionsRefused,
    refusals,
    handle: (conn) => void handled.push(conn),
  });
  return { gate, connections, metrics, refusals, handled, hooks };
}

describe('admission', () => {
  it('should let sockets in through the gate, and give their place back when they close', () => {
    const r = rig(1);
    const first = fakeSocket('::ffff:10.0.0.1');
    expect(r.hooks.admit(first)).toBe(true);
    expect(r.gate.open).toBe(1);
    first.emit('close');
    expect(r.gate.open).toBe(0);
    expect(first.destroyed).toBe(false);
  });

  it('should destroy a socket the gate refuses, counted and logged by its address', async () => {
    const r = rig(1);
    r.hooks.admit(fakeSocket('10.0.0.1'));
    const refused = fakeSocket('::ffff:10.0.0.2');
    expect(r.hooks.admit(refused)).toBe(false);
    expect(refused.destroyed).toBe(true);
    expect(r.gate.open).toBe(1);
    expect(await r.metrics.counts('fleetline_gateway_connections_refused_total')).toEqual({
      'max-connections': 1,
    });
    // An IPv4 address arriving IPv6-mapped is logged (and limited) as the IPv4 one.
    expect(r.refusals.lines).toEqual([
      {
        level: 'warn',
        key: '10.0.0.2',
        fields: { address: '10.0.0.2', reason: 'max-connections' },
        msg: 'connection refused before CONNECT',
      },
    ]);
  });

  it('should note an accepted connection’s address and certificate, then hand it on', () => {
    const r = rig();
    const conn = new PassThrough();
    r.hooks.accept(conn, '::ffff:10.0.0.3', 'dev-1');
    expect(r.handled).toEqual([conn]);
    expect(r.connections.info(fakeClient('dev-1', conn))).toEqual({
      address: '10.0.0.3',
      certificateDeviceId: 'dev-1',
    });
    const plain = new PassThrough();
    r.hooks.accept(plain, undefined);
    expect(r.connections.info(fakeClient('x', plain))).toEqual({ address: 'unknown' });
  });

  it('should end an accepted connection at its first packet over the limit', async () => {
    const r = rig();
    const conn = new PassThrough();
    r.hooks.accept(conn, '10.0.0.4');
    // A PUBLISH fixed header announcing 2,000 bytes, past the 1,024 allowed.
    conn.push(Buffer.from([0x30, 0xd0, 0x0f]));
    expect(conn.destroyed).toBe(true);
    expect(await r.metrics.counts('fleetline_gateway_connections_refused_total')).toEqual({
      'oversized-packet': 1,
    });
    expect(r.refusals.lines[0]).toMatchObject({
      key: '10.0.0.4',
      msg: 'connection closed: packet too large',
    });
  });

  it('should count and log a failed TLS handshake', async () => {
    const r = rig();
    r.hooks.onHandshakeError(new Error('no shared cipher'), '::ffff:10.0.0.5');
    expect(await r.metrics.counts('fleetline_gateway_connections_refused_total')).toEqual({
      'tls-handshake': 1,
    });
    expect(r.refusals.lines).toEqual([
      {
        level: 'warn',
        key: '10.0.0.5',
        fields: { address: '10.0.0.5', err: 'no shared cipher' },
        msg: 'TLS handshake failed',
      },
    ]);
  });
});
