import {
  closeOnSignal,
  createLogger,
  createMetricsRegistry,
  exitOnStartupError,
  fleetlineTopics,
  type Logger,
  loadConfig,
  openLog,
} from '@fleetline/platform';
import { startGatewayService } from './service.js';

/** `fleetline-gateway`: the MQTT gateway as its own process. */
let logger: Logger | undefined;
try {
  const config = loadConfig();
  const processLogger = createLogger('fleetline-gateway', config.logLevel);
  logger = processLogger;
  const log = openLog(config);
  await log.ensureTopics(fleetlineTopics(config));
  const gateway = await startGatewayService(config, {
    log,
    logger: processLogger,
    metrics: createMetricsRegistry({ service: 'gateway' }),
  });
  processLogger.info(
    { port: gateway.port, log: log.kind },
    `gateway listening on mqtt://${config.mqttHost}:${gateway.port}`,
  );
  closeOnSignal(processLogger, async () => {
    await gateway.close();
    await log.close();
  });
} catch (err) {
  exitOnStartupError(logger, err);
}
