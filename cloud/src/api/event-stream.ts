import type { ServerResponse } from 'node:http';
import type { CallbackGuard } from '@fleetline/platform';
import type { LiveSubscription } from '../live/live-feed.js';
import { sseComment, sseEvent, sseRetry } from '../live/sse.js';

/**
 * One client's live stream, written by hand on the raw response: the subscription's messages
 * only as fast as the client reads (the subscription's queue absorbs the rest, see
 * SubscriberQueue), with a comment every `heartbeatMs` so proxies keep an idle stream open.
 * It ends when the subscription does (after its final `error` event) and when the client goes.
 */

const SSE_HEAD = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

export interface EventStreamOptions {
  heartbeatMs: number;
  /** The reconnection delay suggested to the client. */
  retryMs: number;
  /** The response failed (the client went mid-write, say). */
  onError(err: Error): void;
  /** The connection closed: after the heartbeat stopped, before the subscription closes. */
  onClose(): void;
}

export class EventStream {
  private subscription: LiveSubscription | undefined;
  private waitingForDrain = false;
  /**
   * Writes what the subscription has ready. Called by the feed (its fan-out and timers) and
   * on drain: under the guard, and a stream that fails here is ended rather than left
   * half-written. Give it to the feed as the subscription's onReady.
   */
  readonly pump: () => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly guard: CallbackGuard,
  ) {
    this.pump = guard.wrap('live.stream', () => this.writeReady());
  }

  /** Sends the head and the retry hint, then the subscription's messages as they come. */
  start(subscription: LiveSubscription, o: EventStreamOptions): void {
    this.subscription = subscription;
    const heartbeat = setInterval(
      this.guard.wrap('live.heartbeat', () => this.keepAlive()),
      o.heartbeatMs,
    );
    heartbeat.unref();
    this.res.on('error', o.onError);
    this.res.on(
      'close',
      this.guard.wrap('live.stream-close', () => {
        clearInterval(heartbeat);
        o.onClose();
        subscription.close();
      }),
    );
    this.res.writeHead(200, SSE_HEAD);
    this.res.write(sseRetry(o.retryMs));
    this.pump();
  }

  private writeReady(): void {
    const { res, subscription } = this;
    if (!subscription || this.waitingForDrain || res.writableEnded) return;
    try {
      for (let m = subscription.next(); m; m = subscription.next()) {
        const more = res.write(sseEvent(m));
        if (m.event === 'error') break;
        if (!more) {
          this.waitingForDrain = true;
          res.once('drain', () => {
            this.waitingForDrain = false;
            this.pump();
          });
          return;
        }
      }
    } catch (err) {
      res.destroy();
      throw err;
    }
    if (subscription.ended) res.end();
  }

  private keepAlive(): void {
    if (!this.waitingForDrain && !this.res.writableEnded) this.res.write(sseComment('keep-alive'));
  }
}
