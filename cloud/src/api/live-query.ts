import { type Static, Type } from '@fastify/type-provider-typebox';
import { type LiveFilter, type LiveKind, liveKinds } from '../live/events.js';
import { DeviceId } from './schemas.js';

/** What a client of `GET /api/live` asks for: some devices (all by default), some kinds. */

const KINDS = `^(${liveKinds.join('|')})(,(${liveKinds.join('|')}))*$`;

export const LiveQuery = Type.Object(
  {
    deviceId: Type.Optional(
      Type.Union([DeviceId, Type.Array(DeviceId, { minItems: 1, maxItems: 1000 })], {
        description: 'only these devices (repeat the parameter for several); default: all',
      }),
    ),
    kinds: Type.Optional(
      Type.String({
        pattern: KINDS,
        description: `comma-separated: ${liveKinds.join(', ')}; default: both`,
      }),
    ),
  },
  { additionalProperties: false },
);

/** The feed's filter for a query the schema has checked. */
export function liveFilter(q: Static<typeof LiveQuery>): LiveFilter {
  const ids = q.deviceId === undefined ? undefined : [q.deviceId].flat();
  const kinds = new Set((q.kinds ?? liveKinds.join(',')).split(',') as LiveKind[]);
  return { deviceIds: ids && new Set(ids), kinds };
}
