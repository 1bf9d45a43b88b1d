import type { Logger, LogRecord, ProduceRecord } from '@fleetline/platform';
import { encodeAlertChange, encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';
import type { LiveFilter, LiveKind, LiveMessage } from '../../src/live/events.js';
import type { LiveSubscription } from '../../src/live/subscription.js';

/**
 * What the live feed's tests share: alert and telemetry records (to produce, or as the log
 * hands them over), subscribers that collect their messages, a logger that keeps its lines.
 */

export const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

let seq = 0;

/** An alert raised for `deviceId`, to produce to alerts.v1. */
export const alert = (alertId: string, deviceId = 'veh-1'): ProduceRecord => ({
  topic: kafkaTopics.alerts,
  key: deviceId,
  value: encodeAlertChange({
    alertId,
    deviceId,
    type: 'overheat',
    severity: 'warning',
    transition: 'raised',
    conditionKey: 'coolant',
    timeMs: t0,
    evidence: { coolantC: 112.5 },
    clearsWhen: '≤ 100 °C for 60 s',
  }),
});

/** A telemetry batch of one speed sample of `deviceId`, to produce to telemetry.v1. */
export const telemetry = (deviceId: string, speed: number, timeMs = t0): ProduceRecord => ({
  topic: kafkaTopics.telemetry,
  key: deviceId,
  value: encodeTelemetryBatch({
    deviceId,
    seq: ++seq,
    samples: [{ signalId: signalId('Vehicle.Speed'), value: speed, timeMs }],
  }),
});

let offset = 0;
/** A produced record as the log hands it over. */
const logged = (r: ProduceRecord): LogRecord => ({
  ...r,
  partition: 0,
  offset: offset++,
  headers: {},
  timestampMs: t0,
});

export const alertRecord = (alertId: string, deviceId = 'veh-1') =>
  logged(alert(alertId, deviceId));
export const telemetryRecord = (deviceId: string, speed: number, timeMs = t0) =>
  logged(telemetry(deviceId, speed, timeMs));
export const garbage = (topic: string): LogRecord =>
  logged({ topic, key: 'veh-1', value: new Uint8Array([0xff, 0xff, 0xff]) });

/** A subscription whose messages are collected as they become ready. */
export interface Reader {
  readonly sub: LiveSubscription;
  readonly messages: LiveMessage[];
}

export function read(
  feed: { subscribe(filter: LiveFilter, onReady: () => void): LiveSubscription },
  kinds: LiveKind[],
  deviceIds?: string[],
): Reader {
  const messages: LiveMessage[] = [];
  const sub = feed.subscribe(
    { kinds: new Set(kinds), deviceIds: deviceIds && new Set(deviceIds) },
    () => {
      for (let m = sub.next(); m; m = sub.next()) messages.push(m);
    },
  );
  return { sub, messages };
}

/** The speed in a message, if it is a state event with one. */
export const speedIn = (m: LiveMessage) =>
  m.event === 'state' ? [m.data.signals.find((s) => s.name === 'Vehicle.Speed')?.v] : [];
export const speeds = (r: Reader) => r.messages.flatMap(speedIn);
export const alertIds = (r: { readonly messages: readonly LiveMessage[] }) =>
  r.messages.flatMap((m) => (m.event === 'alert' ? [m.data.id] : []));

/** A logger whose lines are kept as [level, message, fields]. */
export function keptLogger(): { logger: Logger; lines: [string, string, unknown][] } {
  const lines: [string, string, unknown][] = [];
  const at =
    (level: string) =>
    (fields: unknown, message?: string): void => {
      lines.push([level, typeof fields === 'string' ? fields : (message ?? ''), fields]);
    };
  const logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  } as unknown as Logger;
  return { logger, lines };
}
