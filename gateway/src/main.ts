import {
  createMetricsRegistry,
  fleetlineTopics,
  openLog,
  openStore,
  runService,
} from '@fleetline/platform';
import { startGatewayService } from './service.js';

/** `fleetline-gateway`: the MQTT gateway as its own process. */
await runService('fleetline-gateway', async (config, logger) => {
  const log = openLog(config);
  await log.ensureTopics(fleetlineTopics(config));
  // The device registry lives in the Store (SQLite in the data dir, or Cassandra).
  const store = await openStore(config);
  const gateway = await startGatewayService(config, {
    log,
    logger,
    metrics: createMetricsRegistry({ service: 'gateway' }),
    devices: store,
  });
  logger.info(
    { port: gateway.port, tlsPort: gateway.tlsPort, log: log.kind },
    `gateway listening on mqtt://${config.mqttHost}:${gateway.port}` +
      (gateway.tlsPort === undefined ? '' : ` and mqtts://${config.mqttHost}:${gateway.tlsPort}`),
  );
  return async () => {
    await gateway.close();
    await store.close();
    await log.close();
  };
});
