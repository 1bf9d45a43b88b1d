import type { ServerResponse } from 'node:http';
import { Registry } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { OpenStreams, refusedStreams } from '../../src/api/live-stream-caps.js';

const response = () => {
  const res = { ended: false, end: () => (res.ended = true) };
  return res as unknown as ServerResponse & { ended: boolean };
};

function caps(maxPerAddress: number, maxStreams: number) {
  const metrics = new Registry();
  const refused = refusedStreams(metrics);
  const streams = new OpenStreams({ maxStreams, maxPerAddress, refused });
  const counted = async (reason: string) =>
    (await refused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  return { streams, counted, metrics };
}

describe('OpenStreams', () => {
  it('should refuse past the per-address cap with 429, saying how to follow several devices', async () => {
    const { streams, counted } = caps(2, 10);
    streams.opened(response(), 'a');
    expect(streams.refusal('a')).toBeUndefined();
    streams.opened(response(), 'a');
    const refusal = streams.refusal('a');
    expect(refusal).toMatchObject({
      statusCode: 429,
      retryAfter: '10',
      body: { statusCode: 429, error: 'Too Many Requests', code: 'CLOUD_TOO_MANY_STREAMS' },
    });
    expect(refusal?.body.message).toMatch(/\(2 open, at most 2\).*repeat deviceId/);
    expect(streams.refusal('b')).toBeUndefined();
    expect(await counted('per-address')).toBe(1);
  });

  it('should refuse past the total with 503, and let a stream in again once one closed', async () => {
    const { streams, counted } = caps(5, 2);
    const first = response();
    streams.opened(first, 'a');
    streams.opened(response(), 'b');
    expect(streams.refusal('c')).toMatchObject({ statusCode: 503, retryAfter: '30' });
    expect(await counted('max-streams')).toBe(1);
    streams.closed(first, 'a');
    streams.closed(first, 'a'); // once only
    expect(streams.refusal('c')).toBeUndefined();
    expect(streams.refusal('a')).toBeUndefined();
  });

  it('should end every open stream at endAll()', () => {
    const { streams } = caps(5, 5);
    const open = [response(), response()];
    for (const res of open) streams.opened(res, 'a');
    streams.endAll();
    expect(open.map((r) => r.ended)).toEqual([true, true]);
  });

  it('should count refusals of every server on one registry in one metric', () => {
    const { metrics } = caps(1, 1);
    expect(refusedStreams(metrics)).toBe(refusedStreams(metrics));
  });
});
