import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Store } from '@fleetline/platform';
import { alertTypes } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { AlertBody, alertBody } from './alert-body.js';
import { ErrorBody } from './schemas.js';
import { timeRange } from './time.js';

/**
 * Alerts: list and filter, one by id, acknowledge and resolve (with who and when). Each is
 * answered in the shape of alert-body.ts.
 */

const Who = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: 128, description: 'who acts' }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const DAY_MS = 86_400_000;

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `no alert ${JSON.stringify(id)}`,
});

export function alertRoutes(store: Store, limits: { maxRangeDays: number }) {
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/alerts',
      {
        schema: {
          querystring: Type.Object(
            {
              deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
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
        const alerts = await store.listAlerts({
          fromMs,
          toMs,
          limit: q.limit ?? 100,
          ...(q.deviceId ? { deviceId: q.deviceId } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.state ? { state: q.state } : {}),
        });
        return alerts.map(alertBody);
      },
    );

    api.get(
      '/api/alerts/:id',
      {
        schema: { params: IdParams, response: { 200: AlertBody, 404: ErrorBody, 503: ErrorBody } },
      },
      async (request, reply) => {
        const alert = await store.getAlert(request.params.id);
        return alert ? alertBody(alert) : reply.code(404).send(notFound(request.params.id));
      },
    );

    for (const [action, change] of [
      ['ack', (id: string, by: string) => store.acknowledgeAlert(id, by, Date.now())],
      ['resolve', (id: string, by: string) => store.resolveAlert(id, by, Date.now())],
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
          return alert ? alertBody(alert) : reply.code(404).send(notFound(request.params.id));
        },
      );
    }
  };
}
