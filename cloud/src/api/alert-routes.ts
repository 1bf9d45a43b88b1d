import { type Static, Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AlertQuery, AlertTable } from '@fleetline/platform';
import { type AlertType, alertTypes } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { AlertBody, AlertStateBody, alertBody } from './alert-body.js';
import { badRequest, ErrorBody } from './schemas.js';
import { timeRange } from './time.js';

/**
 * Alerts: list and filter, one by id, acknowledge and resolve (with who and when). Each is
 * answered in the shape of alert-body.ts.
 */

const DAY_MS = 86_400_000;

const AlertsQuery = Type.Object(
  {
    deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    // Unsafe<AlertType>: a union built from a list types as never, this one as what it takes.
    type: Type.Optional(Type.Unsafe<AlertType>(Type.Union(alertTypes.map((t) => Type.Literal(t))))),
    state: Type.Optional(AlertStateBody),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const Who = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: 128, description: 'who acts' }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * The store query a list request asks for: raised in [from, to) (default: the last 7 days),
 * at most `limit` (default 100), by device, type and state when given. Or the 400 message
 * naming what is wrong with the range.
 */
export function alertListQuery(
  q: Static<typeof AlertsQuery>,
  nowMs: number,
  maxRangeDays: number,
): AlertQuery | string {
  const range = timeRange(q, { spanMs: 7 * DAY_MS, toMs: nowMs + 1 }, maxRangeDays);
  if (typeof range === 'string') return range;
  return {
    fromMs: range.fromMs,
    toMs: range.toMs,
    limit: q.limit ?? 100,
    ...(q.deviceId ? { deviceId: q.deviceId } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.state ? { state: q.state } : {}),
  };
}

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `no alert ${JSON.stringify(id)}`,
});

/** What people do to an alert, by the last part of its route: acknowledge, resolve. */
const peoplesActions = (telemetryDb: AlertTable) =>
  [
    ['ack', (id: string, by: string) => telemetryDb.acknowledgeAlert(id, by, Date.now())],
    ['resolve', (id: string, by: string) => telemetryDb.resolveAlert(id, by, Date.now())],
  ] as const;

export function alertRoutes(telemetryDb: AlertTable, limits: { maxRangeDays: number }) {
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/alerts',
      {
        schema: {
          querystring: AlertsQuery,
          response: { 200: Type.Array(AlertBody), 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const query = alertListQuery(request.query, Date.now(), limits.maxRangeDays);
        if (typeof query === 'string') return reply.code(400).send(badRequest(query));
        return (await telemetryDb.listAlerts(query)).map(alertBody);
      },
    );

    api.get(
      '/api/alerts/:id',
      {
        schema: { params: IdParams, response: { 200: AlertBody, 404: ErrorBody, 503: ErrorBody } },
      },
      async (request, reply) => {
        const alert = await telemetryDb.getAlert(request.params.id);
        return alert ? alertBody(alert) : reply.code(404).send(notFound(request.params.id));
      },
    );

    for (const [action, change] of peoplesActions(telemetryDb)) {
      api.post(
        `/api/alerts/:id/${action}`,
        {
          schema: {
            params: IdParams,
            body: Who,
            response: { 200: AlertBody, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
          },
        },
        async (request, reply) => {
          const alert = await change(request.params.id, request.body.by);
          return alert ? alertBody(alert) : reply.code(404).send(notFound(request.params.id));
        },
      );
    }
  };
}
