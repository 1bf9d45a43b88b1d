import {
  createMetricsRegistry,
  fleetlineTopics,
  openLog,
  openRecordsDb,
  openTelemetryDb,
  runService,
  startWithCleanup,
} from '@fleetline/platform';
import { startCloud } from './service.js';

/** `fleetline-cloud`: a stream processor and the HTTP API as one process. */
await runService('fleetline-cloud', (config, logger, abort) =>
  startWithCleanup(async (cleanup) => {
    const log = cleanup.adopt(openLog(config));
    await log.ensureTopics(fleetlineTopics(config));
    const telemetryDb = cleanup.adopt(await openTelemetryDb(config));
    const recordsDb = cleanup.adopt(await openRecordsDb(config, logger));
    if (log.kind === 'kafka' && recordsDb.kind === 'sqlite') {
      // Cloud processes sharing a Kafka consumer group each record the alerts of the
      // partitions they hold: on SQLite, each into a file of its own.
      logger.warn(
        'the business records (the alert book among them) are in SQLite in this process’s data folder: every cloud process keeps its own; set DATABASE_URL so that they share one',
      );
    }
    const cloud = cleanup.adopt(
      await startCloud(config, {
        log,
        telemetryDb,
        recordsDb,
        logger,
        metrics: createMetricsRegistry({ service: 'cloud' }),
        onFatal: (err) => {
          logger.fatal({ err }, 'processor stopped; exiting so a supervisor restarts it');
          process.exit(1);
        },
      }),
    );
    logger.info(
      {
        port: cloud.httpPort,
        opsPort: cloud.opsPort,
        log: log.kind,
        telemetryDb: telemetryDb.kind,
        recordsDb: recordsDb.kind,
      },
      `API on http://${config.httpHost}:${cloud.httpPort}/api/vehicles`,
    );
    return () => cleanup.close();
  }, abort),
);
