import type { ServerResponse } from 'node:http';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type CallbackGuard, callbackGuard, Registry } from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';
import { type LiveKind, liveKinds } from '../live/events.js';
import type { LiveFeed } from '../live/live-feed.js';
import { sseComment, sseEvent, sseRetry } from '../live/sse.js';
import { ErrorBody } from './schemas.js';

/**
 * `GET /api/live`: alerts and vehicle state as Server-Sent Events, as they happen. The
 * response is written by hand on the raw socket: only as fast as the client reads (the
 * subscription's queue absorbs the rest, see SubscriberQueue), with a comment every
 * `heartbeatMs` so proxies keep an idle stream open. Ends when the client goes, when the
 * subscription overflows with alerts (a final `error` event), and when the server closes.
 * State events begin a moment after the connection when no other client wants them: the feed
 * reads telemetry only while some client does (see LiveFeed).
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
}

const DEVICE_ID = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
const KINDS = `^(${liveKinds.join('|')})(,(${liveKinds.join('|')}))*$`;
const VehicleId = Type.String({ pattern: DEVICE_ID });

const LiveQuery = Type.Object(
  {
    vehicleId: Type.Optional(
      Type.Union([VehicleId, Type.Array(VehicleId, { minItems: 1, maxItems: 1000 })], {
        description: 'only these vehicles (repeat the parameter for several); default: all',
      }),
    ),
    kinds: Type.Optional(
      Type.String({
        pattern: KINDS,
        description: `comma-separated: ${liveKinds.join(', ')}; default: both`,
      }),
    ),
  },
  { additionalProperties: false },
);

export function liveRoutes(feed: LiveFeed, o: LiveRoutesOptions = {}) {
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const retryMs = o.retryMs ?? 3_000;
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const guard = o.guard ?? callbackGuard({ logger: app.log, metrics: new Registry() });
    const open = new Set<ServerResponse>();
    // Streams never finish on their own: end them, or close() would wait for the clients.
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    api.get(
      '/api/live',
      { schema: { querystring: LiveQuery, response: { 400: ErrorBody, 503: ErrorBody } } },
      async (request, reply) => {
        const q = request.query;
        const ids = q.vehicleId === undefined ? undefined : [q.vehicleId].flat();
        const kinds = new Set((q.kinds ?? liveKinds.join(',')).split(',') as LiveKind[]);
        const res = reply.raw;
        let waitingForDrain = false;
        // Called by the feed (its fan-out and timers) and on drain: under the guard, and a
        // stream that fails here is ended rather than left half-written.
        const pump = guard.wrap('live.stream', () => {
          if (waitingForDrain || res.writableEnded) return;
          try {
            for (let m = subscription.next(); m; m = subscription.next()) {
              const more = res.write(sseEvent(m));
              if (m.type === 'error') break;
              if (!more) {
                waitingForDrain = true;
                res.once('drain', () => {
                  waitingForDrain = false;
                  pump();
                });
                return;
              }
            }
          } catch (err) {
            res.destroy();
            throw err;
          }
          if (subscription.ended) res.end();
        });
        const subscription = feed.subscribe({ vehicleIds: ids && new Set(ids), kinds }, pump);
        if (subscription.ended) {
          return reply.code(503).send({
            statusCode: 503,
            error: 'Service Unavailable',
            message: 'the live feed is not running',
          });
        }
        reply.hijack();
        open.add(res);
        const heartbeat = setInterval(
          guard.wrap('live.heartbeat', () => {
            if (!waitingForDrain && !res.writableEnded) res.write(sseComment('keep-alive'));
          }),
          heartbeatMs,
        );
        heartbeat.unref();
        res.on('error', (err) => request.log.debug({ err: err.message }, 'live stream error'));
        res.on(
          'close',
          guard.wrap('live.stream-close', () => {
            clearInterval(heartbeat);
            open.delete(res);
            subscription.close();
          }),
        );
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(sseRetry(retryMs));
        pump();
      },
    );
  };
}
