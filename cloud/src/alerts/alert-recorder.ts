import {
  type AlertTable,
  getOrCreateCounter,
  type Log,
  type LogConsumer,
  type Logger,
  type Registry,
} from '@fleetline/platform';
import { decodeAlertChange, kafkaTopics } from '@fleetline/proto';
import { OutageGate } from '../retry.js';

/**
 * Records the alert changes of `alerts.v1` in the alert book of the business records, where the
 * API lists them by store, state and time and people acknowledge and resolve them. Its own
 * consumer group, so it reads every change whichever processor raised it; writes are
 * idempotent (by alert id), so a change read twice is recorded once. A record that does not decode is skipped with a warning: nothing else in the
 * batch is lost.
 */
export async function startAlertRecorder(o: {
  log: Log;
  /** The business records' alert book. */
  recordsDb: AlertTable;
  groupId: string;
  logger: Logger;
  metrics: Registry;
  onFatal(error: Error): void;
}): Promise<LogConsumer> {
  const log = o.logger.child({ component: 'alert-recorder' });
  const recorded = getOrCreateCounter(o.metrics, {
    name: 'fleetline_alert_changes_recorded_total',
    help: 'Alert changes recorded in the records database, by transition; invalid ones skipped',
    labelNames: ['transition'],
  });
  // An alert change that cannot be recorded waits for the records database (see OutageGate):
  // the recorder pauses through an outage instead of stopping the process.
  const gate = new OutageGate('records database', log);
  const consumer = await o.log.consume({
    groupId: o.groupId,
    topics: [kafkaTopics.alerts],
    async handle(records) {
      for (const r of records) {
        let change: ReturnType<typeof decodeAlertChange>;
        try {
          change = decodeAlertChange(r.value);
        } catch (err) {
          recorded.inc({ transition: 'invalid' });
          log.warn({ offset: r.offset, reason: (err as Error).message }, 'alert change skipped');
          continue;
        }
        if (change.transition === 'raised') {
          await gate.run(() =>
            o.recordsDb.recordAlertRaised({
              alertId: change.alertId,
              deviceId: change.deviceId,
              type: change.type,
              severity: change.severity,
              conditionKey: change.conditionKey,
              raisedMs: change.timeMs,
              evidence: change.evidence,
              clearsWhen: change.clearsWhen,
            }),
          );
        } else {
          await gate.run(() => o.recordsDb.recordAlertCleared(change.alertId, change.timeMs));
        }
        recorded.inc({ transition: change.transition });
      }
    },
    onError(err) {
      log.error({ err }, 'alert recorder cannot continue');
      o.onFatal(err);
    },
  });
  return {
    async close() {
      gate.stop();
      await consumer.close();
    },
  };
}
