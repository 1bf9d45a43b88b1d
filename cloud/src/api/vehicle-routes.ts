import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DeviceStatusTable, LatestValueTable, VehicleTable } from '@fleetline/platform';
import { signalById } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { DeviceParams, ErrorBody } from './schemas.js';
import { SignalValue, signalValue } from './signal-value.js';
import { isoTime as iso } from './time.js';

/**
 * The vehicles: every vehicle and when it was last heard from, and one vehicle's latest state
 * (connection and the latest value of each signal). A vehicle's samples and events have
 * routes of their own (sample-routes.ts, event-routes.ts). A vehicle is named by the device
 * installed in it (`deviceId`, see schemas.ts). Times are ISO 8601.
 */

const Vehicle = Type.Object({
  deviceId: Type.String(),
  lastSeen: Type.String({ format: 'date-time' }),
});

const VehicleState = Type.Object({
  deviceId: Type.String(),
  lastSeen: Type.String({ format: 'date-time' }),
  connection: Type.Optional(
    Type.Object({
      state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
      since: Type.String({ format: 'date-time' }),
      agentVersion: Type.String(),
    }),
  ),
  signals: Type.Array(SignalValue),
});

export function vehicleRoutes(telemetryDb: VehicleTable & DeviceStatusTable & LatestValueTable) {
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/vehicles',
      { schema: { response: { 200: Type.Array(Vehicle), 503: ErrorBody } } },
      async () =>
        (await telemetryDb.listVehicles()).map((v) => ({
          deviceId: v.deviceId,
          lastSeen: iso(v.lastSeenMs),
        })),
    );

    api.get(
      '/api/vehicles/:deviceId',
      {
        schema: {
          params: DeviceParams,
          response: { 200: VehicleState, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const { deviceId } = request.params;
        // One vehicle read by its key (never the whole list: on Cassandra a table scan).
        const [seen, status, latest] = await Promise.all([
          telemetryDb.getVehicle(deviceId),
          telemetryDb.getStatus(deviceId),
          telemetryDb.latestValues(deviceId),
        ]);
        if (!seen && !status) {
          return reply.code(404).send({
            statusCode: 404,
            error: 'Not Found',
            message: `no vehicle ${JSON.stringify(deviceId)}: it has never been heard from`,
          });
        }
        const signals = [];
        for (const row of latest) {
          const signal = signalById(row.signalId);
          if (!signal) continue; // an id this version does not know
          signals.push(signalValue(signal, row.timeMs, row.value));
        }
        return {
          deviceId,
          // A vehicle known only by its status report was last heard from then.
          lastSeen: iso(seen ? seen.lastSeenMs : (status?.timeMs ?? 0)),
          ...(status
            ? {
                connection: {
                  state: status.state,
                  since: iso(status.timeMs),
                  agentVersion: status.agentVersion,
                },
              }
            : {}),
          signals,
        };
      },
    );
  };
}
