import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  type LogConsumer,
  Registry,
  SqliteRecordsDb,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import { type AlertChange, decodeAlertChange, kafkaTopics } from '@fleetline/proto';
import {
  type ProcessorOptions,
  type RunningProcessor,
  startProcessor,
} from '../../src/processor.js';

/**
 * A processor on the embedded adapters in a temporary folder, for tests: the log (2
 * partitions, topics created), the SQLite telemetry database, the SQLite records database (the
 * alert book), and what the processor publishes to alerts.v1, collected as it comes. close() stops everything and removes the folder.
 */
export interface EmbeddedRig {
  readonly log: EmbeddedLog;
  readonly telemetryDb: SqliteTelemetryDb;
  readonly recordsDb: SqliteRecordsDb;
  /** Alert changes read from alerts.v1 so far (once watchAlerts() was called). */
  readonly alertChanges: AlertChange[];
  startProcessor(options?: Partial<ProcessorOptions>): Promise<RunningProcessor>;
  watchAlerts(): Promise<void>;
  close(): Promise<void>;
}

export async function embeddedRig(name: string): Promise<EmbeddedRig> {
  const dir = mkdtempSync(join(tmpdir(), `fleetline-${name}-`));
  const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 2 });
  const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
  const recordsDb = new SqliteRecordsDb({ path: join(dir, 'records.sqlite') });
  await log.ensureTopics(fleetlineTopics({ topicPartitions: 2, topicReplication: 1 }));
  const alertChanges: AlertChange[] = [];
  const running: { close(): Promise<void> }[] = [];
  let watching: LogConsumer | undefined;
  return {
    log,
    telemetryDb,
    recordsDb,
    alertChanges,
    async startProcessor(options = {}) {
      const processor = await startProcessor({
        log,
        telemetryDb,
        groupId: 'processors',
        logger: createLogger(name, 'silent'),
        metrics: new Registry(),
        partitions: 2,
        onFatal: (err) => {
          throw err;
        },
        ...options,
      });
      running.push(processor);
      return processor;
    },
    async watchAlerts() {
      watching ??= await log.consume({
        groupId: 'alert-watcher',
        topics: [kafkaTopics.alerts],
        handle: async (records) => {
          for (const r of records) alertChanges.push(decodeAlertChange(r.value));
        },
      });
    },
    async close() {
      await watching?.close();
      for (const r of running.reverse()) await r.close();
      await log.close();
      await telemetryDb.close();
      await recordsDb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
