import type { ServerResponse } from 'node:http';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type CallbackGuard,
  callbackGuard,
  getOrCreateCounter,
  Registry,
} from '@fleetline/platform';
import { DEVICE_ID_PATTERN } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { CloudErrorCodes } from '../errors.js';
import { type LiveKind, liveKinds } from '../live/events.js';
import type { LiveFeed } from '../live/live-feed.js';
import { sseComment, sseEvent, sseRetry } from '../live/sse.js';
import { ErrorBody } from './schemas.js';

/**
 * `GET /api/live`: alerts and vehicle state as Server-Sent Events, as they happen. The
 * response is written by hand on the raw socket: only as fast as the client reads (the
 * subscription's queue absorbs the rest, see SubscriberQueue), with a comment every
 * `heartbeatMs` so proxies keep an idle stream open. Ends when the client goes, when the feed
 * stops (a final `error` event), and when the server closes; more than the queue holds is
 * told as `dropped` (state) and `missed` (alerts) events, never by ending the stream.
 * State events begin a moment after the connection when no other client wants them: the feed
 * reads telemetry only while some client does (see LiveFeed).
 *
 * A stream holds a connection for as long as the client likes, so they are capped: at most
 * `maxStreamsPerAddress` from one IP address (more answer 429) and `maxStreams` in all (more
 * answer 503), each with Retry-After and a message saying what to do. One stream can carry
 * any number of vehicles (repeat `vehicleId`), so a page needs one.
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
}

const KINDS = `^(${liveKinds.join('|')})(,(${liveKinds.join('|')}))*$`;
const VehicleId = Type.String({ pattern: DEVICE_ID_PATTERN });

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
    const maxStreams = o.maxStreams ?? 1000;
    const maxPerAddress = o.maxStreamsPerAddress ?? 20;
    const registry = o.metrics ?? new Registry();
    const refused = getOrCreateCounter(registry, {
      name: 'fleetline_live_streams_refused_total',
      help: 'GET /api/live streams refused, by reason (per-address, max-streams)',
      labelNames: ['reason'],
    });
    const open = new Set<ServerResponse>();
    const perAddress = new Map<string, number>();
    // Streams never finish on their own: end them, or close() would wait for the clients.
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    api.get(
      '/api/live',
      {
        schema: {
          querystring: LiveQuery,
          response: { 400: ErrorBody, 429: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const address = request.ip;
        const fromAddress = perAddress.get(address) ?? 0;
        if (fromAddress >= maxPerAddress || open.size >= maxStreams) {
          const perAddressFull = fromAddress >= maxPerAddress;
          refused.inc({ reason: perAddressFull ? 'per-address' : 'max-streams' });
          const status = perAddressFull ? 429 : 503;
          return reply
            .code(status)
            .header('retry-after', perAddressFull ? '10' : '30')
            .send({
              statusCode: status,
              error: perAddressFull ? 'Too Many Requests' : 'Service Unavailable',
              message: perAddressFull
                ? `too many live streams from this address (${fromAddress} open, at most ${maxPerAddress}); close one, or follow several vehicles on one stream (repeat vehicleId)`
                : `too many live streams open on this server (at most ${maxStreams}); try again later`,
              code: CloudErrorCodes.tooManyStreams,
            });
        }
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
        perAddress.set(address, fromAddress + 1);
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
            if (open.delete(res)) {
              const left = (perAddress.get(address) ?? 1) - 1;
              if (left > 0) perAddress.set(address, left);
              else perAddress.delete(address);
            }
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
