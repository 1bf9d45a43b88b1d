import { Type } from '@fastify/type-provider-typebox';
import { DEVICE_ID_PATTERN } from '@fleetline/proto';

/** Every error answer of the API: `{ statusCode, error, message, code? }`. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  code: Type.Optional(Type.String()),
});

/** A 400 answer's body. */
export const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message });

/**
 * The device installed in a vehicle — what telemetry is keyed by, what the gateway
 * authenticates and MQTT topics name — is `deviceId` wherever the API names it: bodies, query
 * parameters, path parameters and live events. (A vehicle's own identity, VIN and plate, is
 * for business records to come, bound to a device.)
 */
export const DeviceId = Type.String({ pattern: DEVICE_ID_PATTERN });

/** `/api/vehicles/:deviceId/…` */
export const DeviceParams = Type.Object({ deviceId: DeviceId });
