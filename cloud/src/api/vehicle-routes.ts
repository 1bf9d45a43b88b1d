import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  DeviceStatusTable,
  LatestValueTable,
  VehicleRecord,
  VehicleTable,
} from '@fleetline/platform';
import { signalById } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { DeviceParams, ErrorBody } from './schemas.js';
import { SignalValue, signalValue } from './signal-value.js';
import { isoTime as iso } from './time.js';

/**
 * The vehicles: every vehicle the caller may see, as the business records know it (VIN, plate,
 * store, owner) and when its device was last heard from; and one vehicle's latest state
 * (connection and the latest value of each signal). A vehicle's samples and events have
 * routes of their own (sample-routes.ts, event-routes.ts). A vehicle is named by the device
 * installed in it (`deviceId`, see schemas.ts). Times are ISO 8601.
 */

/** What the business records say of a vehicle (the telemetry knows only its device). */
const VehicleFields = {
  vehicleId: Type.String(),
  deviceId: Type.Optional(Type.String()),
  vin: Type.String(),
  plate: Type.Optional(Type.String()),
  make: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  year: Type.Optional(Type.Integer()),
  homeStoreId: Type.String(),
  sharedStoreIds: Type.Array(Type.String()),
  customerId: Type.Optional(Type.String()),
  disabled: Type.Boolean(),
  /** Absent for a vehicle whose device was never heard from. */
  lastSeen: Type.Optional(Type.String({ format: 'date-time' })),
};

const Vehicle = Type.Object(VehicleFields);

const VehicleState = Type.Object({
  ...VehicleFields,
  deviceId: Type.String(),
  connection: Type.Optional(
    Type.Object({
      state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
      since: Type.String({ format: 'date-time' }),
      agentVersion: Type.String(),
    }),
  ),
  signals: Type.Array(SignalValue),
});

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const recordFields = (v: VehicleRecord, lastSeenMs: number | undefined) => ({
  vehicleId: v.id,
  ...optional('deviceId', v.deviceId),
  vin: v.vin,
  ...optional('plate', v.plate),
  ...optional('make', v.make),
  ...optional('model', v.model),
  ...optional('year', v.year),
  homeStoreId: v.homeStoreId,
  sharedStoreIds: [...v.sharedStoreIds],
  ...optional('customerId', v.customerId),
  disabled: v.disabled,
  ...optional('lastSeen', lastSeenMs === undefined ? undefined : iso(lastSeenMs)),
});

export function vehicleRoutes(telemetryDb: VehicleTable & DeviceStatusTable & LatestValueTable) {
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/vehicles',
      {
        config: { access: { kind: 'scoped', permission: 'vehicle.read' } },
        schema: { response: { 200: Type.Array(Vehicle), 503: ErrorBody } },
      },
      async (request) => {
        const [vehicles, seen] = await Promise.all([
          request.access.vehicles('vehicle.read'),
          telemetryDb.listVehicles(),
        ]);
        const lastSeen = new Map(seen.map((v) => [v.deviceId, v.lastSeenMs]));
        return vehicles.map((v) =>
          recordFields(v, v.deviceId ? lastSeen.get(v.deviceId) : undefined),
        );
      },
    );

    api.get(
      '/api/vehicles/:deviceId',
      {
        config: { access: { kind: 'vehicle', permission: 'vehicle.read' } },
        schema: {
          params: DeviceParams,
          response: { 200: VehicleState, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
        },
      },
      async (request) => {
        const { deviceId } = request.params;
        // One vehicle read by its key (never the whole list: on Cassandra a table scan).
        const [seen, status, latest] = await Promise.all([
          telemetryDb.getVehicle(deviceId),
          telemetryDb.getStatus(deviceId),
          telemetryDb.latestValues(deviceId),
        ]);
        const signals = [];
        for (const row of latest) {
          const signal = signalById(row.signalId);
          if (!signal) continue; // an id this version does not know
          signals.push(signalValue(signal, row.timeMs, row.value));
        }
        return {
          // A vehicle known only by its status report was last heard from then.
          ...recordFields(request.access.vehicle, seen?.lastSeenMs ?? status?.timeMs),
          deviceId,
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
