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
import { startGateway } from './gateway.js';
import { clientIdIdentity } from './identity.js';

/** `fleetline-gateway`: the MQTT gateway as its own process. */
let logger: Logger | undefined;
try {
  const config = loadConfig();
  logger = createLogger('fleetline-gateway', config.logLevel);
  const log = openLog(config);
  await log.ensureTopics(fleetlineTopics(config));
  const producer = await log.createProducer();
  const gateway = await startGateway({
    host: config.mqttHost,
    port: config.mqttPort,
    gatewayId: config.gatewayId,
    producer,
    identity: clientIdIdentity,
    logger,
    metrics: createMetricsRegistry({ service: 'gateway' }),
  });
  logger.info(
    { port: gateway.port, log: log.kind },
    `gateway listening on mqtt://${config.mqttHost}:${gateway.port}`,
  );
  closeOnSignal(logger, async () => {
    await gateway.close();
    await producer.close();
    await log.close();
  });
} catch (err) {
  exitOnStartupError(logger, err);
}
