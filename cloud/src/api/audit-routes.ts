import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuditEntry, AuditLog } from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';
import { ownOrganisation } from './organisation-scope.js';
import { badRequest, ErrorBody } from './schemas.js';
import { isoTime as iso, timeRange } from './time.js';

/**
 * `GET /api/audit`: the organisation's audit trail for its admins — sign-ins (and failures
 * against its people's logins), alert acknowledgements and resolutions, plan and service
 * changes, people, roles and tokens — newest first.
 */

const DAY_MS = 86_400_000;

const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const AuditBody = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  target: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
});

const auditBody = (e: AuditEntry) => ({
  at: iso(e.atMs),
  actor: e.actor,
  action: e.action,
  ...(e.target === undefined ? {} : { target: e.target }),
  ...(e.address === undefined ? {} : { address: e.address }),
  detail: { ...e.detail },
});

export function auditRoutes(audit: AuditLog, limits: { maxRangeDays: number }) {
  return async (app: FastifyInstance) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/audit',
      {
        config: { access: { kind: 'scoped', permission: 'audit.read' } },
        schema: {
          querystring: AuditQuery,
          response: { 200: Type.Array(AuditBody), 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const orgId = ownOrganisation(request, reply, 'audit.read');
        if (!orgId) return reply;
        const q = request.query;
        const range = timeRange(
          q,
          { spanMs: 7 * DAY_MS, toMs: Date.now() + 1 },
          limits.maxRangeDays,
        );
        if (typeof range === 'string') return reply.code(400).send(badRequest(range));
        const entries = await audit.listAudit({
          orgId,
          fromMs: range.fromMs,
          toMs: range.toMs,
          limit: q.limit ?? 100,
          ...(q.action ? { action: q.action } : {}),
        });
        return entries.map(auditBody);
      },
    );
  };
}
