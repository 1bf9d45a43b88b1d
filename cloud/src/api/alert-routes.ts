import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AlertRecord, AlertTable } from '@fleetline/platform';
import { alertTypes } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from './schemas.js';
import { timeRange } from './time.js';

/**
 * Alerts: list and filter, one by id, acknowledge and resolve (with who and when). Times are
 * ISO 8601; `vehicleId` is the device id.
 */

const AlertBody = Type.Object({
  id: Type.String(),
  vehicleId: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  state: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
  raisedAt: Type.String({ format: 'date-time' }),
  conditionKey: Type.String(),
  evidence: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()])),
  clearsWhen: Type.String(),
  clearedAt: Type.Optional(Type.String({ format: 'date-time' })),
  acknowledgedAt: Type.Optional(Type.String({ format: 'date-time' })),
  acknowledgedBy: Type.Optional(Type.String()),
  resolvedAt: Type.Optional(Type.String({ format: 'date-time' })),
  resolvedBy: Type.Optional(Type.String()),
});

const Who = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: 128, description: 'who acts' }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const DAY_MS = 86_400_000;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function toBody(a: AlertRecord) {
  return {
    id: a.alertId,
    vehicleId: a.deviceId,
    type: a.type,
    severity: a.severity,
    state: a.state,
    raisedAt: new Date(a.raisedMs).toISOString(),
    conditionKey: a.conditionKey,
    evidence: { ...a.evidence },
    clearsWhen: a.clearsWhen,
    ...(a.clearedMs === undefined ? {} : { clearedAt: iso(a.clearedMs) }),
    ...(a.acknowledgedMs === undefined ? {} : { acknowledgedAt: iso(a.acknowledgedMs) }),
    ...(a.acknowledgedBy === undefined ? {} : { acknowledgedBy: a.acknowledgedBy }),
    ...(a.resolvedMs === undefined ? {} : { resolvedAt: iso(a.resolvedMs) }),
    ...(a.resolvedBy === undefined ? {} : { resolvedBy: a.resolvedBy }),
  };
}

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `no alert ${JSON.stringify(id)}`,
});

export function alertRoutes(telemetryDb: AlertTable, limits: { maxRangeDays: number }) {
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/alerts',
      {
        schema: {
          querystring: Type.Object(
            {
              vehicleId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              type: Type.Optional(Type.Union(alertTypes.map((t) => Type.Literal(t)))),
              state: Type.Optional(
                Type.Union([
                  Type.Literal('open'),
                  Type.Literal('acknowledged'),
                  Type.Literal('resolved'),
                ]),
              ),
              from: Type.Optional(Type.String({ format: 'date-time' })),
              to: Type.Optional(Type.String({ format: 'date-time' })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Array(AlertBody), 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const range = timeRange(
          q,
          { spanMs: 7 * DAY_MS, toMs: Date.now() + 1 },
          limits.maxRangeDays,
        );
        if (typeof range === 'string') {
          return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: range });
        }
        const { fromMs, toMs } = range;
        const alerts = await telemetryDb.listAlerts({
          fromMs,
          toMs,
          limit: q.limit ?? 100,
          ...(q.vehicleId ? { deviceId: q.vehicleId } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.state ? { state: q.state } : {}),
        });
        return alerts.map(toBody);
      },
    );

    api.get(
      '/api/alerts/:id',
      {
        schema: { params: IdParams, response: { 200: AlertBody, 404: ErrorBody, 503: ErrorBody } },
      },
      async (request, reply) => {
        const alert = await telemetryDb.getAlert(request.params.id);
        return alert ? toBody(alert) : reply.code(404).send(notFound(request.params.id));
      },
    );

    for (const [action, change] of [
      ['ack', (id: string, by: string) => telemetryDb.acknowledgeAlert(id, by, Date.now())],
      ['resolve', (id: string, by: string) => telemetryDb.resolveAlert(id, by, Date.now())],
    ] as const) {
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
          return alert ? toBody(alert) : reply.code(404).send(notFound(request.params.id));
        },
      );
    }
  };
}
