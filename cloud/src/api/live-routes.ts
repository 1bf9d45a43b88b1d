import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type CallbackGuard, callbackGuard, Registry } from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';
import type { RequestAccess } from '../access/request-access.js';
import type { LiveFilter } from '../live/events.js';
import type { LiveFeed } from '../live/live-feed.js';
import { EventStream } from './event-stream.js';
import { LiveQuery, liveFilter } from './live-query.js';
import { OpenStreams, refusedStreams } from './live-stream-caps.js';
import { ErrorBody } from './schemas.js';

/**
 * `GET /api/live`: alerts and device state as Server-Sent Events, as they happen. Its parts:
 * the query as the feed's filter (live-query.ts), the caps on open streams (live-stream-caps.ts),
 * and each stream written as fast as its client reads (event-stream.ts). A stream ends when
 * the client goes, when the feed stops (a final `error` event), and when the server closes;
 * more than the queue holds is told as `dropped` (state) and `missed` (alerts) events, never
 * by ending the stream. State events begin a moment after the connection when no other client
 * wants them: the feed reads telemetry only while some client does (see LiveFeed).
 */

export interface LiveRoutesOptions {
  /** Comment sent this often (default 15 s). */
  heartbeatMs?: number;
  /** The reconnection delay suggested to clients (default 3 s). */
  retryMs?: number;
  /**
   * Runs the streams' timers and socket callbacks: a throw there is logged and counted, and
   * ends at most that one stream, never the process. Default: one logging to the app's log.
   */
  guard?: CallbackGuard;
  /** Open streams at most (default 1000). */
  maxStreams?: number;
  /** Open streams from one IP address at most (default 20). */
  maxStreamsPerAddress?: number;
  /** Where refused streams are counted (default: a registry of its own). */
  metrics?: Registry;
  /**
   * How often an open stream checks that its caller is still signed in (default 15 s): a
   * sign-out, an expired session or a revoked token ends the stream by the next check.
   */
  recheckMs?: number;
}

const SIGNED_OUT = 'signed out, session expired or token revoked; sign in again';
const VEHICLES_CHANGED = 'the vehicles you may see have changed; reconnect';

const notRunning = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'the live feed is not running',
};

export function liveRoutes(feed: LiveFeed, o: LiveRoutesOptions = {}) {
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const retryMs = o.retryMs ?? 3_000;
  const recheckMs = o.recheckMs ?? 15_000;
  return async (app: FastifyInstance) => {
    const guard = o.guard ?? callbackGuard({ logger: app.log, metrics: new Registry() });
    const streams = new OpenStreams({
      maxStreams: o.maxStreams ?? 1000,
      maxPerAddress: o.maxStreamsPerAddress ?? 20,
      refused: refusedStreams(o.metrics ?? new Registry()),
    });
    // Streams never finish on their own: end them, or close() would wait for the clients.
    app.addHook('preClose', async () => streams.endAll());

    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/live',
      {
        config: { access: { kind: 'scoped', permission: 'vehicle.read' } },
        schema: {
          querystring: LiveQuery,
          response: { 400: ErrorBody, 429: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const address = request.ip;
        const refusal = streams.refusal(address);
        if (refusal) {
          return reply
            .code(refusal.statusCode)
            .header('retry-after', refusal.retryAfter)
            .send(refusal.body);
        }
        // Only the caller's vehicles, whatever the query asks for.
        const visible = await request.access.deviceIds('vehicle.read');
        const res = reply.raw;
        const stream = new EventStream(res, guard);
        const subscription = feed.subscribe(
          scopedFilter(liveFilter(request.query), visible),
          stream.pump,
        );
        if (subscription.ended) return reply.code(503).send(notRunning);
        reply.hijack();
        streams.opened(res, address);
        const recheck = setInterval(
          guard.wrap('live.recheck', () =>
            // A records outage keeps the stream: only a definite answer ends it.
            rechecked(request.access, visible).then(
              (ending) => ending && subscription.end(ending),
              (err: Error) => request.log.warn({ err: err.message }, 'live stream recheck failed'),
            ),
          ),
          recheckMs,
        );
        recheck.unref();
        stream.start(subscription, {
          heartbeatMs,
          retryMs,
          onError: (err) => request.log.debug({ err: err.message }, 'live stream error'),
          onClose: () => {
            clearInterval(recheck);
            streams.closed(res, address);
          },
        });
      },
    );
  };
}

/**
 * Why a stream must end now, if it must: its caller signed out (or the session expired, or
 * the token was revoked), or the vehicles it may see are no longer those it was given — a
 * vehicle moved to another store, a grant taken away or added. The client reconnects and
 * gets what it may see now.
 */
async function rechecked(
  access: RequestAccess,
  visible: ReadonlySet<string>,
): Promise<string | undefined> {
  const now = await access.again();
  if (!now) return SIGNED_OUT;
  const ids = await now.deviceIds('vehicle.read');
  const same = ids.size === visible.size && [...ids].every((id) => visible.has(id));
  return same ? undefined : VEHICLES_CHANGED;
}

/** The query's filter narrowed to the devices the caller may see. */
function scopedFilter(filter: LiveFilter, visible: ReadonlySet<string>): LiveFilter {
  const wanted = filter.deviceIds ? [...filter.deviceIds].filter((id) => visible.has(id)) : visible;
  return { ...filter, deviceIds: new Set(wanted) };
}
