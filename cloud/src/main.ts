import {
  createMetricsRegistry,
  fleetlineTopics,
  openLog,
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
    const cloud = cleanup.adopt(
      await startCloud(config, {
        log,
        telemetryDb,
        logger,
        metrics: createMetricsRegistry({ service: 'cloud' }),
        onFatal: (err) => {
          logger.fatal({ err }, 'processor stopped; exiting so a supervisor restarts it');
          process.exit(1);
        },
      }),
    );
    logger.info(
      { port: cloud.httpPort, log: log.kind, store: telemetryDb.kind },
      `API on http://${config.httpHost}:${cloud.httpPort}/api/vehicles`,
    );
    return () => cleanup.close();
  }, abort),
);
