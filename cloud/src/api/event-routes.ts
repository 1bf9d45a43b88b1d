import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EventTable } from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';
import { badRequest, DeviceParams, ErrorBody } from './schemas.js';
import { isoTime as iso, timeRange } from './time.js';

/** A vehicle's events (collisions, trouble codes, trigger captures) over a time range. */

const DAY_MS = 86_400_000;

const eventKinds = ['collision', 'troubleCodes', 'triggerCapture'] as const;

const EventBody = Type.Object({
  seq: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  detail: Type.Unknown(),
});

/** An event's detail as stored (JSON); text that is not JSON is answered as it is. */
function parseDetail(detail: string): unknown {
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}

export function eventRoutes(telemetryDb: EventTable, limits: { maxRangeDays: number }) {
  return async (app: FastifyInstance) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/vehicles/:deviceId/events',
      {
        config: { access: { kind: 'vehicle', permission: 'telemetry.read' } },
        schema: {
          params: DeviceParams,
          querystring: Type.Object(
            {
              from: Type.Optional(Type.String({ format: 'date-time' })),
              to: Type.Optional(Type.String({ format: 'date-time' })),
              kind: Type.Optional(Type.Union(eventKinds.map((k) => Type.Literal(k)))),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Array(EventBody), 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const range = timeRange(
          q,
          { spanMs: 7 * DAY_MS, toMs: Date.now() + 1 },
          limits.maxRangeDays,
        );
        if (typeof range === 'string') return reply.code(400).send(badRequest(range));
        const events = await telemetryDb.listEvents({
          deviceId: request.params.deviceId,
          ...range,
          limit: q.limit ?? 100,
          ...(q.kind ? { kind: q.kind } : {}),
        });
        return events.map((e) => ({
          seq: e.seq,
          time: iso(e.timeMs),
          kind: e.kind,
          detail: parseDetail(e.detail),
        }));
      },
    );
  };
}
