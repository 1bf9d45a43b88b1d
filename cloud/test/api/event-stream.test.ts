import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { callbackGuard, Registry } from '@fleetline/platform';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventStream } from '../../src/api/event-stream.js';
import type { LiveMessage } from '../../src/live/events.js';
import type { LiveSubscription } from '../../src/live/live-feed.js';

/** A response that takes `room` writes before it asks the writer to wait for 'drain'. */
class FakeResponse extends EventEmitter {
  readonly written: string[] = [];
  head: [number, Record<string, string>] | undefined;
  writableEnded = false;
  destroyed = false;
  constructor(public room = Number.POSITIVE_INFINITY) {
    super();
  }
  writeHead(status: number, headers: Record<string, string>) {
    this.head = [status, headers];
  }
  write(chunk: string): boolean {
    this.written.push(chunk);
    return --this.room > 0;
  }
  end() {
    this.writableEnded = true;
  }
  destroy() {
    this.destroyed = true;
  }
}

function subscription(messages: LiveMessage[], endedWhenEmpty = false) {
  let ending = endedWhenEmpty;
  const sub = {
    closed: false,
    next: () => messages.shift(),
    get ended() {
      return ending && messages.length === 0;
    },
    end(message: string) {
      messages.push({ event: 'error', data: { message } });
      ending = true;
    },
    close() {
      sub.closed = true;
    },
  };
  return sub satisfies LiveSubscription;
}

const dropped = (count: number): LiveMessage => ({ event: 'dropped', data: { count } });
const guard = () => callbackGuard({ logger: { error: () => undefined }, metrics: new Registry() });
const options = (o: Partial<{ onClose(): void; onError(err: Error): void }> = {}) => ({
  heartbeatMs: 1000,
  retryMs: 2500,
  onClose: o.onClose ?? (() => undefined),
  onError: o.onError ?? (() => undefined),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('EventStream', () => {
  it('should send the head and the retry hint, then what is ready, as SSE events', () => {
    const res = new FakeResponse();
    const stream = new EventStream(res as unknown as ServerResponse, guard());
    stream.start(subscription([dropped(1), dropped(2)]), options());
    expect(res.head?.[0]).toBe(200);
    expect(res.head?.[1]['content-type']).toMatch(/^text\/event-stream/);
    expect(res.written).toEqual([
      'retry: 2500\n\n',
      'event: dropped\ndata: {"count":1}\n\n',
      'event: dropped\ndata: {"count":2}\n\n',
    ]);
    res.emit('close');
  });

  it('should write only as fast as the client reads, going on at drain', () => {
    const res = new FakeResponse(2);
    const stream = new EventStream(res as unknown as ServerResponse, guard());
    stream.start(subscription([dropped(1), dropped(2), dropped(3)]), options());
    expect(res.written).toHaveLength(2); // the retry hint and the first event filled it
    stream.pump(); // the feed's wake-up changes nothing while it waits
    expect(res.written).toHaveLength(2);
    res.room = 10;
    res.emit('drain');
    expect(res.written.slice(2)).toEqual([
      'event: dropped\ndata: {"count":2}\n\n',
      'event: dropped\ndata: {"count":3}\n\n',
    ]);
    res.emit('close');
  });

  it('should end after the final error of an ended subscription', () => {
    const res = new FakeResponse();
    const stream = new EventStream(res as unknown as ServerResponse, guard());
    stream.start(
      subscription([{ event: 'error', data: { message: 'stopping' } }], true),
      options(),
    );
    expect(res.written.at(-1)).toBe('event: error\ndata: {"message":"stopping"}\n\n');
    expect(res.writableEnded).toBe(true);
  });

  it('should send heartbeats, and stop them and unsubscribe when the connection closes', () => {
    vi.useFakeTimers();
    const res = new FakeResponse();
    const stream = new EventStream(res as unknown as ServerResponse, guard());
    const sub = subscription([]);
    const closed: string[] = [];
    stream.start(sub, options({ onClose: () => closed.push('closed') }));
    vi.advanceTimersByTime(2000);
    expect(res.written.filter((w) => w === ': keep-alive\n\n')).toHaveLength(2);
    res.emit('close');
    expect(closed).toEqual(['closed']);
    expect(sub.closed).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(res.written.filter((w) => w === ': keep-alive\n\n')).toHaveLength(2);
  });

  it('should destroy a stream whose event fails to write, the throw caught by the guard', async () => {
    const res = new FakeResponse();
    const write = res.write.bind(res);
    res.write = (chunk: string) => {
      if (chunk.startsWith('event:')) throw new Error('socket gone');
      return write(chunk);
    };
    const metrics = new Registry();
    const stream = new EventStream(
      res as unknown as ServerResponse,
      callbackGuard({ logger: { error: () => undefined }, metrics }),
    );
    stream.start(subscription([dropped(1)]), options());
    expect(res.destroyed).toBe(true);
    const errors = await metrics.getSingleMetric('fleetline_callback_errors_total')?.get();
    expect(errors?.values).toEqual([
      expect.objectContaining({ labels: { where: 'live.stream' }, value: 1 }),
    ]);
  });
});
