import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLog, type LogConsumer, Registry, SqliteRecordsDb } from '@fleetline/platform';
import { type AlertChange, encodeAlertChange, kafkaTopics } from '@fleetline/proto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { startAlertRecorder } from '../../src/alerts/alert-recorder.js';
import { keptLogger } from '../live/live-records.js';

/**
 * The alert recorder on the records database: changes from alerts.v1 into the alert book,
 * a record that does not decode skipped, and an outage of the records database waited out
 * with nothing lost.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-alert-recorder-'));
const opened: { close(): Promise<unknown> | unknown }[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);
const change = (transition: AlertChange['transition'], timeMs: number): AlertChange => ({
  alertId: 'veh-1-overheat',
  deviceId: 'veh-1',
  type: 'overheat',
  severity: 'warning',
  transition,
  conditionKey: 'overheat',
  timeMs,
  evidence: { coolantC: 112 },
  clearsWhen: '≤ 100 °C for 60 s',
});

describe('alert recorder', () => {
  it('should record raised and cleared changes in the alert book, skip what does not decode, and wait out a locked database', async () => {
    const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
    opened.push(log);
    await log.ensureTopics([{ name: kafkaTopics.alerts, partitions: 1 }]);
    const path = join(dir, 'records.sqlite');
    // A short busy timeout: a locked file answers unavailable soon, and the recorder waits.
    const recordsDb = new SqliteRecordsDb({ path, busyTimeoutMs: 50 });
    opened.push(recordsDb);
    // Another connection holds the file's write lock (the CLI, a migration) until released.
    const other = new Database(path);
    opened.push(other);
    other.exec('BEGIN IMMEDIATE');

    const { logger, lines } = keptLogger();
    const metrics = new Registry();
    const recorder: LogConsumer = await startAlertRecorder({
      log,
      recordsDb,
      groupId: 'alert-book',
      logger,
      metrics,
      onFatal: (err) => {
        throw err;
      },
    });
    opened.push(recorder);
    const producer = await log.createProducer();
    opened.push(producer);
    await producer.send([
      { topic: kafkaTopics.alerts, key: 'veh-1', value: new Uint8Array([0xff, 0x01]) },
      {
        topic: kafkaTopics.alerts,
        key: 'veh-1',
        value: encodeAlertChange(change('raised', t0)),
      },
      {
        topic: kafkaTopics.alerts,
        key: 'veh-1',
        value: encodeAlertChange(change('cleared', t0 + 90_000)),
      },
    ]);
    await eventually(
      () => lines.some(([level, message]) => level === 'warn' && /unavailable/.test(message)),
      'the recorder waiting for the records database',
    );
    expect(lines.some(([, message]) => message === 'alert change skipped')).toBe(true);
    other.exec('COMMIT');

    const recorded = await eventually(async () => {
      const a = await recordsDb.getAlert('veh-1-overheat');
      return a?.state === 'resolved' ? a : undefined;
    }, 'the alert raised and cleared');
    expect(recorded).toEqual({
      alertId: 'veh-1-overheat',
      deviceId: 'veh-1',
      type: 'overheat',
      severity: 'warning',
      conditionKey: 'overheat',
      raisedMs: t0,
      evidence: { coolantC: 112 },
      clearsWhen: '≤ 100 °C for 60 s',
      state: 'resolved',
      clearedMs: t0 + 90_000,
      resolvedMs: t0 + 90_000,
      resolvedBy: 'cleared by data',
    });
    const counted = (await metrics.getSingleMetric('fleetline_alert_changes_recorded_total')?.get())
      ?.values;
    expect(Object.fromEntries((counted ?? []).map((v) => [v.labels.transition, v.value]))).toEqual({
      invalid: 1,
      raised: 1,
      cleared: 1,
    });
  });
});
