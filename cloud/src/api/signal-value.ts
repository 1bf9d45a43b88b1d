import { type Static, Type } from '@fastify/type-provider-typebox';
import type { SignalDefinition } from '@fleetline/proto';
import { isoTime } from './time.js';

/**
 * A signal's latest value as the API shows it, in one shape wherever it appears: in `GET
 * /api/vehicles/{deviceId}` and in the live stream's `state` events. `t` is the sample's
 * time (ISO 8601), `v` its value in `unit`.
 */
export const SignalValue = Type.Object({
  name: Type.String(),
  unit: Type.String(),
  t: Type.String(),
  v: Type.Number(),
});

export type SignalValueJson = Static<typeof SignalValue>;

export const signalValue = (
  signal: Pick<SignalDefinition, 'name' | 'unit'>,
  timeMs: number,
  value: number,
): SignalValueJson => ({ name: signal.name, unit: signal.unit, t: isoTime(timeMs), v: value });
