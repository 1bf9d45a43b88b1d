import { createMetricsRegistry, fleetlineTopics, openLog, runService } from '@fleetline/platform';
import { startGatewayService } from './service.js';

/** `fleetline-gateway`: the MQTT gateway as its own process. */
await runService('fleetline-gateway', async (config, logger) => {
  const log = openLog(config);
  await log.ensureTopics(fleetlineTopics(config));
  const gateway = await startGatewayService(config, {
    log,
    logger,
    metrics: createMetricsRegistry({ service: 'gateway' }),
  });
  logger.info(
    { port: gateway.port, log: log.kind },
    `gateway listening on mqtt://${config.mqttHost}:${gateway.port}`,
  );
  return async () => {
    await gateway.close();
    await log.close();
  };
});
