import type { Logger, LogRecord } from '@fleetline/platform';
import { encodeAlertChange, encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';

/** Records of the log as the live feed reads them, and a logger that keeps its warnings. */

export const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

let offset = 0;
const record = (topic: string, key: string, value: Uint8Array): LogRecord => ({
  topic,
  partition: 0,
  offset: offset++,
  key,
  value,
  headers: {},
  timestampMs: t0,
});

export const alertRecord = (alertId: string, deviceId = 'veh-1'): LogRecord =>
  record(
    kafkaTopics.alerts,
    deviceId,
    encodeAlertChange({
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
  );

export const telemetryRecord = (deviceId: string, speed: number, timeMs = t0): LogRecord =>
  record(
    kafkaTopics.telemetry,
    deviceId,
    encodeTelemetryBatch({
      deviceId,
      seq: offset + 1,
      samples: [{ signalId: signalId('Vehicle.Speed'), value: speed, timeMs }],
    }),
  );

export const garbage = (topic: string): LogRecord =>
  record(topic, 'veh-1', new Uint8Array([0xff, 0xff, 0xff]));

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
