import {
  closeOnSignal,
  createLogger,
  createMetricsRegistry,
  exitOnStartupError,
  fleetlineTopics,
  type Logger,
  loadConfig,
  openLog,
  openStore,
} from '@fleetline/platform';
import { startCloud } from './service.js';

/** `fleetline-cloud`: a stream processor and the HTTP API as one process. */
let logger: Logger | undefined;
try {
  const config = loadConfig();
  const processLogger = createLogger('fleetline-cloud', config.logLevel);
  logger = processLogger;
  const log = openLog(config);
  await log.ensureTopics(fleetlineTopics(config));
  const store = await openStore(config);
  const cloud = await startCloud(config, {
    log,
    store,
    logger: processLogger,
    metrics: createMetricsRegistry({ service: 'cloud' }),
    onFatal: (err) => {
      processLogger.fatal({ err }, 'processor stopped; exiting so a supervisor restarts it');
      process.exit(1);
    },
  });
  processLogger.info(
    { port: cloud.httpPort, log: log.kind, store: store.kind },
    `API on http://${config.httpHost}:${cloud.httpPort}/api/vehicles`,
  );
  closeOnSignal(processLogger, async () => {
    await cloud.close();
    await store.close();
    await log.close();
  });
} catch (err) {
  exitOnStartupError(logger, err);
}
