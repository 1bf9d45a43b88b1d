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
import { buildApi, listenApi } from './api/server.js';
import { startProcessor } from './processor.js';

/** `fleetline-cloud`: a stream processor and the HTTP API as one process. */
let logger: Logger | undefined;
try {
  const config = loadConfig();
  const log0 = createLogger('fleetline-cloud', config.logLevel);
  logger = log0;
  const metrics = createMetricsRegistry({ service: 'cloud' });
  const log = openLog(config);
  await log.ensureTopics(fleetlineTopics(config));
  const store = await openStore(config);
  const processor = await startProcessor({
    log,
    store,
    groupId: config.processorGroup,
    logger: log0,
    metrics,
    onFatal: (err) => {
      log0.fatal({ err }, 'processor stopped; exiting so a supervisor restarts it');
      process.exit(1);
    },
  });
  const api = buildApi({ store, logger: log0, metrics });
  const port = await listenApi(api, config.httpHost, config.httpPort);
  log0.info(
    { port, log: log.kind, store: store.kind },
    `API on http://${config.httpHost}:${port}/api/vehicles`,
  );
  closeOnSignal(log0, async () => {
    await api.close();
    await processor.close();
    await store.close();
    await log.close();
  });
} catch (err) {
  exitOnStartupError(logger, err);
}
