import { describe, expect, it } from 'vitest';
import { connectionErrorListener, connectionErrorReason } from '../src/connection-errors.js';
import { Connections } from '../src/connections.js';
import { NotAuthorizedError } from '../src/errors.js';
import { fakeClient, refusalRecorder, testMetrics } from './fakes.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('connectionErrorReason', () => {
  it('should tell timeouts and resets from protocol errors', () => {
    expect(connectionErrorReason(new Error('connect did not arrive in time'))).toBe(
      'connect-timeout',
    );
    expect(connectionErrorReason(new Error('keep alive timeout'))).toBe('keepalive-timeout');
    for (const code of [
      'ECONNRESET',
      'EPIPE',
      'ERR_STREAM_PREMATURE_CLOSE',
      'ERR_STREAM_DESTROYED',
    ]) {
      expect(connectionErrorReason(withCode('gone', code))).toBe('reset');
    }
    expect(
      connectionErrorReason(new Error('Invalid header flag bits, must be 0x0 for puback')),
    ).toBe('protocol');
  });
});

describe('connectionErrorListener', () => {
  function rig() {
    const connections = new Connections();
    const metrics = testMetrics();
    const refusals = refusalRecorder();
    const onError = connectionErrorListener({
      connections,
      protocolErrors: metrics.m.protocolErrors,
      refusals,
    });
    return { connections, metrics, refusals, onError };
  }

  it('should count an error by reason and log it by the client, with its address', async () => {
    const r = rig();
    const stream = {};
    r.connections.accepted(stream, { address: '10.0.0.9' });
    r.onError(fakeClient('dev-1', stream), new Error('keep alive timeout'));
    // Before CONNECT aedes may have no client to name.
    r.onError(undefined, new Error('Unknown command'));
    expect(await r.metrics.counts('fleetline_gateway_protocol_errors_total')).toEqual({
      'keepalive-timeout': 1,
      protocol: 1,
    });
    expect(r.refusals.lines).toEqual([
      {
        level: 'info',
        key: 'dev-1',
        fields: {
          clientId: 'dev-1',
          address: '10.0.0.9',
          reason: 'keepalive-timeout',
          err: 'keep alive timeout',
        },
        msg: 'client connection closed on error',
      },
      {
        level: 'info',
        key: 'unknown',
        fields: {
          clientId: undefined,
          address: 'unknown',
          reason: 'protocol',
          err: 'Unknown command',
        },
        msg: 'client connection closed on error',
      },
    ]);
  });

  it('should leave refusals to where they were counted: CONNACK codes and our own errors', async () => {
    const r = rig();
    const refusedConnect = Object.assign(new Error('not authorized'), { returnCode: 5 });
    r.onError(fakeClient('dev-1'), refusedConnect);
    r.onError(fakeClient('dev-1'), new NotAuthorizedError('dev-1 may not publish to x'));
    expect(await r.metrics.counts('fleetline_gateway_protocol_errors_total')).toEqual({});
    expect(r.refusals.lines).toEqual([]);
  });
});
