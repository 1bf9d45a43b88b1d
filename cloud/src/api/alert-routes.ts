import { type Static, Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  AlertQuery,
  AlertTable,
  AuditLog,
  Permission,
  VehicleScope,
} from '@fleetline/platform';
import { type AlertType, alertTypes } from '@fleetline/proto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AlertBody, AlertStateBody, alertBody } from './alert-body.js';
import { audited } from './audit.js';
import { badRequest, ErrorBody } from './schemas.js';
import { timeRange } from './time.js';

/**
 * Alerts: list and filter, one by id, acknowledge and resolve (who: the signed-in caller;
 * when: now; both also written to the audit trail). Each is answered in the shape of
 * alert-body.ts. A caller sees only the alerts of vehicles it may see; another store's
 * alert answers 404, as an id that does not exist.
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

// Ack and resolve read no body: who acts is the signed-in caller.
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * The alert-book query a list request asks for: raised in [from, to) (default: the last 7 days),
 * at most `limit` (default 100), by device, type and state when given. Or the 400 message
 * naming what is wrong with the range.
 */
export function alertListQuery(
  q: Static<typeof AlertsQuery>,
  nowMs: number,
  maxRangeDays: number,
  scope?: VehicleScope,
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
    ...(scope ? { scope } : {}),
  };
}

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `no alert ${JSON.stringify(id)}`,
});

/** What people do to an alert, by the last part of its route: acknowledge, resolve. */
const peoplesActions = (alerts: AlertTable) =>
  [
    ['ack', (id: string, by: string) => alerts.acknowledgeAlert(id, by, Date.now())],
    ['resolve', (id: string, by: string) => alerts.resolveAlert(id, by, Date.now())],
  ] as const;

/**
 * The alert with that id when the caller has the permission on its vehicle; else undefined,
 * as for an id that does not exist.
 */
async function alertOf(
  alerts: AlertTable,
  request: FastifyRequest,
  id: string,
  permission: Permission,
) {
  const alert = await alerts.getAlert(id);
  return alert && (await request.access.mayAccessDevice(alert.deviceId, permission))
    ? alert
    : undefined;
}

export function alertRoutes(o: { alerts: AlertTable; audit: AuditLog; maxRangeDays: number }) {
  const { alerts } = o;
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/alerts',
      {
        config: { access: { kind: 'scoped', permission: 'alert.read' } },
        schema: {
          querystring: AlertsQuery,
          response: { 200: Type.Array(AlertBody), 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const scope = request.access.scope('alert.read');
        const query = alertListQuery(request.query, Date.now(), o.maxRangeDays, scope);
        if (typeof query === 'string') return reply.code(400).send(badRequest(query));
        return (await alerts.listAlerts(query)).map(alertBody);
      },
    );

    api.get(
      '/api/alerts/:id',
      {
        config: { access: { kind: 'scoped', permission: 'alert.read' } },
        schema: { params: IdParams, response: { 200: AlertBody, 404: ErrorBody, 503: ErrorBody } },
      },
      async (request, reply) => {
        const alert = await alertOf(alerts, request, request.params.id, 'alert.read');
        return alert ? alertBody(alert) : reply.code(404).send(notFound(request.params.id));
      },
    );

    for (const [action, change] of peoplesActions(alerts)) {
      api.post(
        `/api/alerts/:id/${action}`,
        {
          config: { access: { kind: 'scoped', permission: 'alert.handle' } },
          schema: {
            params: IdParams,
            response: { 200: AlertBody, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
          },
        },
        async (request, reply) => {
          const { id } = request.params;
          if (!(await alertOf(alerts, request, id, 'alert.handle'))) {
            return reply.code(404).send(notFound(id));
          }
          const alert = await change(id, request.access.caller.by);
          if (!alert) return reply.code(404).send(notFound(id));
          await audited(o.audit, request, `alert.${action}`, id, { deviceId: alert.deviceId });
          return alertBody(alert);
        },
      );
    }
  };
}
