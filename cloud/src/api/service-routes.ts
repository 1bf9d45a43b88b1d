import { randomUUID } from 'node:crypto';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceRecordRow } from '@fleetline/platform';
import { type ServiceUpdate, WIRE_TIME_END_MS } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { audited } from './audit.js';
import { badRequest, DeviceParams, ErrorBody } from './schemas.js';
import { published, type ServiceRoutesOptions, wireAccepts } from './service-updates.js';
import { isoTime as iso, parseApiTime } from './time.js';

/**
 * The services done on a vehicle: recorded (stored, then passed on to its actor) and listed
 * newest first. A service is recorded once by its id: a repeated request answers the service
 * as first recorded.
 */

export type { ServiceRoutesOptions } from './service-updates.js';

/** A repeated serviceId is looked for among the vehicle's latest this many services. */
const SERVICE_LOOKUP = 1000;

const ServiceInput = Type.Object(
  {
    serviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    time: Type.Optional(Type.String({ format: 'date-time' })),
    odometerKm: Type.Number({ minimum: 0, maximum: 10_000_000 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const ServiceBody = Type.Object({
  serviceId: Type.String(),
  deviceId: Type.String(),
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

const serviceBody = (r: ServiceRecordRow) => ({
  serviceId: r.serviceId,
  deviceId: r.deviceId,
  time: iso(r.timeMs),
  odometerKm: r.odometerKm,
  by: r.by,
  note: r.note,
});

const serviced = (r: ServiceRecordRow): ServiceUpdate => ({
  deviceId: r.deviceId,
  timeMs: r.timeMs,
  change: { kind: 'serviced', serviced: { serviceId: r.serviceId, odometerKm: r.odometerKm } },
});

export function serviceRoutes(o: ServiceRoutesOptions) {
  const { telemetryDb } = o;
  const findService = async (deviceId: string, serviceId: string) =>
    (await telemetryDb.listServices(deviceId, SERVICE_LOOKUP)).find(
      (s) => s.serviceId === serviceId,
    );

  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.post(
      '/api/vehicles/:deviceId/services',
      {
        config: { access: { kind: 'vehicle', permission: 'service.write' } },
        schema: {
          params: DeviceParams,
          body: ServiceInput,
          response: { 200: ServiceBody, 201: ServiceBody, 400: ErrorBody, 503: NotPassedOn },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { deviceId } = request.params;
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
          by: request.access.caller.by,
          note: b.note ?? '',
        };
        if (!before) {
          if (!(await wireAccepts(serviced(record), reply))) return reply;
          await telemetryDb.recordService(record);
          await audited(o.audit, request, 'service.record', deviceId, {
            serviceId: record.serviceId,
            odometerKm: record.odometerKm,
          });
          // Whichever record holds the id now (another request may have been first).
          if (b.serviceId) record = (await findService(deviceId, record.serviceId)) ?? record;
        }
        if (!(await published(o, serviced(record), reply, request.log))) return reply;
        return reply.code(before ? 200 : 201).send(serviceBody(record));
      },
    );

    api.get(
      '/api/vehicles/:deviceId/services',
      {
        config: { access: { kind: 'vehicle', permission: 'service.read' } },
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
        (await telemetryDb.listServices(request.params.deviceId, request.query.limit ?? 100)).map(
          serviceBody,
        ),
    );
  };
}
