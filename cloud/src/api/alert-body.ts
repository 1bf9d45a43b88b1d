import { type Static, Type } from '@fastify/type-provider-typebox';
import type { AlertRecord } from '@fleetline/platform';
import type { AlertChange } from '@fleetline/proto';
import { isoTime as iso } from './time.js';

/**
 * An alert as the API shows it, in one shape wherever it appears: an item of `GET
 * /api/alerts` (alertBody), and the part of it an alert change tells, as the live stream's
 * `alert` event sends it (alertChangeBody). Times are ISO 8601.
 */

/** open → acknowledged → resolved (or open → resolved). */
export const AlertStateBody = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
]);

export const AlertBody = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  state: AlertStateBody,
  raisedAt: Type.String({ format: 'date-time' }),
  conditionKey: Type.String(),
  evidence: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()])),
  clearsWhen: Type.String(),
  clearedAt: Type.Optional(Type.String({ format: 'date-time' })),
  acknowledgedAt: Type.Optional(Type.String({ format: 'date-time' })),
  acknowledgedBy: Type.Optional(Type.String()),
  resolvedAt: Type.Optional(Type.String({ format: 'date-time' })),
  resolvedBy: Type.Optional(Type.String()),
});

export type AlertJson = Static<typeof AlertBody>;

export function alertBody(a: AlertRecord): AlertJson {
  return {
    id: a.alertId,
    deviceId: a.deviceId,
    type: a.type,
    severity: a.severity,
    state: a.state,
    raisedAt: iso(a.raisedMs),
    conditionKey: a.conditionKey,
    evidence: { ...a.evidence },
    clearsWhen: a.clearsWhen,
    ...(a.clearedMs === undefined ? {} : { clearedAt: iso(a.clearedMs) }),
    ...(a.acknowledgedMs === undefined ? {} : { acknowledgedAt: iso(a.acknowledgedMs) }),
    ...(a.acknowledgedBy === undefined ? {} : { acknowledgedBy: a.acknowledgedBy }),
    ...(a.resolvedMs === undefined ? {} : { resolvedAt: iso(a.resolvedMs) }),
    ...(a.resolvedBy === undefined ? {} : { resolvedBy: a.resolvedBy }),
  };
}

/** A raised alert's change: every field the alert had when it was raised, but its state. */
export type RaisedAlertJson = Pick<
  AlertJson,
  'id' | 'deviceId' | 'type' | 'severity' | 'raisedAt' | 'conditionKey' | 'evidence' | 'clearsWhen'
>;

/** A cleared alert's change: which alert, and when the data showed it over. */
export type ClearedAlertJson = Pick<AlertJson, 'id' | 'deviceId' | 'type' | 'conditionKey'> & {
  readonly clearedAt: string;
};

/**
 * An alert change as the fields of the alert it changes, so that a client can lay it over
 * the alert it listed. A RAISED change is the alert as raised (its state is not told: a
 * replayed change may come after someone acknowledged it). A CLEARED change tells the alert
 * and its `clearedAt`, and leaves out what the wire's CLEARED record carries with another
 * meaning than the alert's: its severity (always `info`, not the alert's) and its evidence
 * (what the detector saw at the clearing, not at the raising).
 */
export function alertChangeBody(c: AlertChange): RaisedAlertJson | ClearedAlertJson {
  const alert = { id: c.alertId, deviceId: c.deviceId, type: c.type };
  if (c.transition === 'cleared') {
    return { ...alert, conditionKey: c.conditionKey, clearedAt: iso(c.timeMs) };
  }
  return {
    ...alert,
    severity: c.severity,
    raisedAt: iso(c.timeMs),
    conditionKey: c.conditionKey,
    evidence: { ...c.evidence },
    clearsWhen: c.clearsWhen,
  };
}
