import {
  createMetricsRegistry,
  fleetlineTopics,
  openLog,
  openTelemetryDb,
  runService,
  startOpsHttp,
  startWithCleanup,
} from '@fleetline/platform';
import { startGatewayService } from './service.js';

/** `fleetline-gateway`: the MQTT gateway as its own process. */
await runService('fleetline-gateway', (config, logger, abort) =>
  startWithCleanup(async (cleanup) => {
    const log = cleanup.adopt(openLog(config));
    await log.ensureTopics(fleetlineTopics(config));
    // The device registry lives in the telemetry database (SQLite in the data dir, or Cassandra).
    const telemetryDb = cleanup.adopt(await openTelemetryDb(config));
    const metrics = createMetricsRegistry({ service: 'gateway' });
    const gateway = cleanup.adopt(
      await startGatewayService(config, { log, logger, metrics, telemetryDb }),
    );
    let draining = false;
    const ops = cleanup.adopt(
      await startOpsHttp({
        name: 'gateway HTTP',
        portSetting: 'GATEWAY_HTTP_PORT',
        host: config.mqttHost,
        port: config.gatewayHttpPort,
        metrics,
        healthy: () => !draining,
      }),
    );
    logger.info(
      {
        port: gateway.port,
        tlsPort: gateway.tlsPort,
        webSocketPort: gateway.webSocketPort,
        httpPort: ops.port,
        log: log.kind,
      },
      `gateway listening on mqtt://${config.mqttHost}:${gateway.port}` +
        (gateway.tlsPort === undefined ? '' : ` and mqtts://${config.mqttHost}:${gateway.tlsPort}`),
    );
    // SIGTERM: report draining, stop accepting, let in-flight publishes get their acks, exit.
    // The gateway drains while /healthz still answers (503); then the rest closes.
    return async () => {
      draining = true;
      await gateway.close();
      await cleanup.close();
    };
  }, abort),
);
