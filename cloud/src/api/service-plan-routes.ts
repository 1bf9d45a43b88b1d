import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServicePlanRow } from '@fleetline/platform';
import type { ServiceUpdate } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { audited } from './audit.js';
import { badRequest, DeviceParams, ErrorBody } from './schemas.js';
import { published, type ServiceRoutesOptions, wireAccepts } from './service-updates.js';
import { isoTime as iso } from './time.js';

/** A vehicle's service plan: read, and replaced (stored, then passed on to its actor). */

/** "Coming up" opens this far ahead by default, or a tenth of the interval when less. */
const DEFAULT_AHEAD_KM = 500;
const DEFAULT_AHEAD_DAYS = 14;

const PlanInput = Type.Object(
  {
    intervalKm: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    intervalDays: Type.Number({ exclusiveMinimum: 0, maximum: 3650 }),
    aheadKm: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    aheadDays: Type.Optional(Type.Number({ minimum: 0, maximum: 3650 })),
  },
  { additionalProperties: false },
);

const PlanBody = Type.Object({
  deviceId: Type.String(),
  intervalKm: Type.Number(),
  intervalDays: Type.Number(),
  aheadKm: Type.Number(),
  aheadDays: Type.Number(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
});

const planBody = (p: ServicePlanRow) => ({
  deviceId: p.deviceId,
  intervalKm: p.intervalKm,
  intervalDays: p.intervalDays,
  aheadKm: p.aheadKm,
  aheadDays: p.aheadDays,
  updatedAt: iso(p.updatedMs),
  updatedBy: p.updatedBy,
});

/**
 * How far ahead "coming up" opens: as given, or by default; a message when it is not less
 * than the interval.
 */
function aheadOf(b: {
  intervalKm: number;
  intervalDays: number;
  aheadKm?: number;
  aheadDays?: number;
}): { aheadKm: number; aheadDays: number } | string {
  const aheadKm = b.aheadKm ?? Math.min(DEFAULT_AHEAD_KM, b.intervalKm / 10);
  const aheadDays = b.aheadDays ?? Math.min(DEFAULT_AHEAD_DAYS, b.intervalDays / 10);
  for (const [field, ahead, interval, intervalField] of [
    ['aheadKm', aheadKm, b.intervalKm, 'intervalKm'],
    ['aheadDays', aheadDays, b.intervalDays, 'intervalDays'],
  ] as const) {
    if (ahead >= interval) {
      return `body/${field} (${ahead}) must be less than body/${intervalField} (${interval})`;
    }
  }
  return { aheadKm, aheadDays };
}

export function servicePlanRoutes(o: ServiceRoutesOptions) {
  const { telemetryDb } = o;
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/vehicles/:deviceId/service-plan',
      {
        config: { access: { kind: 'vehicle', permission: 'service.read' } },
        schema: {
          params: DeviceParams,
          response: { 200: PlanBody, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const plan = await telemetryDb.getServicePlan(request.params.deviceId);
        if (plan) return planBody(plan);
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no service plan set for vehicle ${JSON.stringify(request.params.deviceId)}`,
        });
      },
    );

    api.put(
      '/api/vehicles/:deviceId/service-plan',
      {
        config: { access: { kind: 'vehicle', permission: 'service.write' } },
        schema: {
          params: DeviceParams,
          body: PlanInput,
          response: { 200: PlanBody, 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const ahead = aheadOf(b);
        if (typeof ahead === 'string') return reply.code(400).send(badRequest(ahead));
        const { aheadKm, aheadDays } = ahead;
        const plan: ServicePlanRow = {
          deviceId: request.params.deviceId,
          intervalKm: b.intervalKm,
          intervalDays: b.intervalDays,
          aheadKm,
          aheadDays,
          updatedMs: Date.now(),
          updatedBy: request.access.caller.by,
        };
        const update: ServiceUpdate = {
          deviceId: plan.deviceId,
          timeMs: plan.updatedMs,
          change: {
            kind: 'plan',
            plan: {
              intervalKm: plan.intervalKm,
              intervalDays: plan.intervalDays,
              aheadKm,
              aheadDays,
            },
          },
        };
        if (!(await wireAccepts(update, reply))) return reply;
        await telemetryDb.setServicePlan(plan);
        await audited(o.audit, request, 'service-plan.set', plan.deviceId, {
          intervalKm: plan.intervalKm,
          intervalDays: plan.intervalDays,
        });
        return (await published(o, update, reply, request.log)) ? planBody(plan) : reply;
      },
    );
  };
}
