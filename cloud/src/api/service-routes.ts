import { randomUUID } from 'node:crypto';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServicePlanRow, ServiceRecordRow, Store } from '@fleetline/platform';
import {
  encodeServiceUpdate,
  InvalidMessageError,
  type ServiceUpdate,
  WIRE_TIME_END_MS,
} from '@fleetline/proto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { ErrorBody } from './schemas.js';
import { parseApiTime } from './time.js';
import { DeviceParams } from './vehicle-routes.js';

/**
 * A vehicle's maintenance: its service plan (read, replaced) and the services done on it
 * (recorded, listed newest first). Each change is stored, then passed on through
 * publishServiceUpdate (to `service.v1`) so the vehicle's maintenance state follows it.
 */

export interface ServiceRoutesOptions {
  store: Store;
  /**
   * Passes a stored change on to the processor. Absent: plans and services are still stored
   * and answered, and nothing else learns of them.
   */
  publishServiceUpdate?: ((update: ServiceUpdate) => Promise<void>) | undefined;
}

/** "Coming up" opens this far ahead by default, or a tenth of the interval when less. */
const DEFAULT_AHEAD_KM = 500;
const DEFAULT_AHEAD_DAYS = 14;
/** A repeated serviceId is looked for among the vehicle's latest this many services. */
const SERVICE_LOOKUP = 1000;

const Who = Type.String({ minLength: 1, maxLength: 128, description: 'who acts' });

const PlanInput = Type.Object(
  {
    intervalKm: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    intervalDays: Type.Number({ exclusiveMinimum: 0, maximum: 3650 }),
    aheadKm: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    aheadDays: Type.Optional(Type.Number({ minimum: 0, maximum: 3650 })),
    by: Who,
  },
  { additionalProperties: false },
);

const PlanBody = Type.Object({
  vehicleId: Type.String(),
  intervalKm: Type.Number(),
  intervalDays: Type.Number(),
  aheadKm: Type.Number(),
  aheadDays: Type.Number(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
});

const ServiceInput = Type.Object(
  {
    serviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    time: Type.Optional(Type.String({ format: 'date-time' })),
    odometerKm: Type.Number({ minimum: 0, maximum: 10_000_000 }),
    by: Who,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const ServiceBody = Type.Object({
  serviceId: Type.String(),
  vehicleId: Type.String(),
  time: Type.String({ format: 'date-time' }),
  odometerKm: Type.Number(),
  by: Type.String(),
  note: Type.String(),
});

/** A 503 for a service stored but not passed on names the id to repeat the request with. */
const NotPassedOn = Type.Object({
  ...ErrorBody.properties,
  serviceId: Type.Optional(Type.String()),
});

const iso = (ms: number) => new Date(ms).toISOString();

const planBody = (p: ServicePlanRow) => ({
  vehicleId: p.deviceId,
  intervalKm: p.intervalKm,
  intervalDays: p.intervalDays,
  aheadKm: p.aheadKm,
  aheadDays: p.aheadDays,
  updatedAt: iso(p.updatedMs),
  updatedBy: p.updatedBy,
});

const serviceBody = (r: ServiceRecordRow) => ({
  serviceId: r.serviceId,
  vehicleId: r.deviceId,
  time: iso(r.timeMs),
  odometerKm: r.odometerKm,
  by: r.by,
  note: r.note,
});

const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message });

export function serviceRoutes(o: ServiceRoutesOptions) {
  const { store } = o;

  /**
   * Publishes a stored change; false (and a 503 sent) when that fails. Repeating the request
   * is safe: the store writes are idempotent and the update is published again. A service
   * is the same service only by its id, so the 503 names the id to repeat it with.
   */
  async function publish(
    update: ServiceUpdate,
    reply: FastifyReply,
    log: FastifyBaseLogger,
  ): Promise<boolean> {
    if (!o.publishServiceUpdate) return true;
    try {
      await o.publishServiceUpdate(update);
      return true;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'service update stored but not published');
      const serviceId =
        update.change.kind === 'serviced' ? update.change.serviced.serviceId : undefined;
      await reply.code(503).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message:
          `stored, but not passed on to the vehicle's maintenance yet: ${(err as Error).message}; ` +
          (serviceId === undefined
            ? 'repeat the request'
            : `repeat the request with "serviceId": ${JSON.stringify(serviceId)}`),
        ...(serviceId === undefined ? {} : { serviceId }),
      });
      return false;
    }
  }

  /**
   * Whether the change can go on the wire, checked before anything is stored: a change the
   * wire refuses would be stored and then fail to publish at every repeat. False (and a 400
   * sent) when it cannot.
   */
  async function wireAccepts(update: ServiceUpdate, reply: FastifyReply): Promise<boolean> {
    try {
      encodeServiceUpdate(update);
      return true;
    } catch (err) {
      if (!(err instanceof InvalidMessageError)) throw err;
      await reply.code(400).send(badRequest(`body: ${err.message}`));
      return false;
    }
  }

  const findService = async (deviceId: string, serviceId: string) =>
    (await store.listServices(deviceId, SERVICE_LOOKUP)).find((s) => s.serviceId === serviceId);

  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/vehicles/:id/service-plan',
      {
        schema: {
          params: DeviceParams,
          response: { 200: PlanBody, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const plan = await store.getServicePlan(request.params.id);
        if (plan) return planBody(plan);
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no service plan set for vehicle ${JSON.stringify(request.params.id)}`,
        });
      },
    );

    api.put(
      '/api/vehicles/:id/service-plan',
      {
        schema: {
          params: DeviceParams,
          body: PlanInput,
          response: { 200: PlanBody, 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const aheadKm = b.aheadKm ?? Math.min(DEFAULT_AHEAD_KM, b.intervalKm / 10);
        const aheadDays = b.aheadDays ?? Math.min(DEFAULT_AHEAD_DAYS, b.intervalDays / 10);
        for (const [field, ahead, interval, intervalField] of [
          ['aheadKm', aheadKm, b.intervalKm, 'intervalKm'],
          ['aheadDays', aheadDays, b.intervalDays, 'intervalDays'],
        ] as const) {
          if (ahead >= interval) {
            return reply
              .code(400)
              .send(
                badRequest(
                  `body/${field} (${ahead}) must be less than body/${intervalField} (${interval})`,
                ),
              );
          }
        }
        const plan: ServicePlanRow = {
          deviceId: request.params.id,
          intervalKm: b.intervalKm,
          intervalDays: b.intervalDays,
          aheadKm,
          aheadDays,
          updatedMs: Date.now(),
          updatedBy: b.by,
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
        await store.setServicePlan(plan);
        const published = await publish(update, reply, request.log);
        return published ? planBody(plan) : reply;
      },
    );

    api.post(
      '/api/vehicles/:id/services',
      {
        schema: {
          params: DeviceParams,
          body: ServiceInput,
          response: { 200: ServiceBody, 201: ServiceBody, 400: ErrorBody, 503: NotPassedOn },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const deviceId = request.params.id;
        // The schema's format took it; `to` bounds may be 2100-01-01, a service may not.
        const timeMs = b.time ? (parseApiTime(b.time) as number) : Date.now();
        if (timeMs >= WIRE_TIME_END_MS) {
          return reply
            .code(400)
            .send(badRequest(`body/time must be before 2100-01-01T00:00:00Z, got ${b.time}`));
        }
        // A repeated serviceId (a retry) answers the service as first recorded, with 200.
        const before = b.serviceId ? await findService(deviceId, b.serviceId) : undefined;
        let record: ServiceRecordRow = before ?? {
          deviceId,
          serviceId: b.serviceId ?? randomUUID(),
          timeMs,
          odometerKm: b.odometerKm,
          by: b.by,
          note: b.note ?? '',
        };
        const update = (r: ServiceRecordRow): ServiceUpdate => ({
          deviceId,
          timeMs: r.timeMs,
          change: {
            kind: 'serviced',
            serviced: { serviceId: r.serviceId, odometerKm: r.odometerKm },
          },
        });
        if (!before) {
          if (!(await wireAccepts(update(record), reply))) return reply;
          await store.recordService(record);
          // Whichever record holds the id now (another request may have been first).
          if (b.serviceId) record = (await findService(deviceId, record.serviceId)) ?? record;
        }
        const published = await publish(update(record), reply, request.log);
        if (!published) return reply;
        return reply.code(before ? 200 : 201).send(serviceBody(record));
      },
    );

    api.get(
      '/api/vehicles/:id/services',
      {
        schema: {
          params: DeviceParams,
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Array(ServiceBody), 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request) =>
        (await store.listServices(request.params.id, request.query.limit ?? 100)).map(serviceBody),
    );
  };
}
