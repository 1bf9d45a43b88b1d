import {
  type Config,
  type Log,
  type Logger,
  type RecordsDb,
  type Registry,
  startOpsHttp,
  startWithCleanup,
  type TelemetryDb,
} from '@fleetline/platform';
import { encodeServiceUpdate, kafkaTopics, type ServiceUpdate } from '@fleetline/proto';
import { startAlertRecorder } from './alerts/alert-recorder.js';
import { buildApi, listenApi } from './api/server.js';
import { vehicleDetectors } from './detectors/vehicle.js';
import { LiveFeed } from './live/live-feed.js';
import { startProcessor } from './processor.js';

/**
 * The cloud side of one process: a processor in the consumer group, the alert recorder, the
 * live feed and the HTTP API.
 */
export interface RunningCloud {
  readonly httpPort: number;
  /** Where /metrics and /healthz are served. */
  readonly opsPort: number;
  close(): Promise<void>;
}

export function startCloud(
  config: Config,
  deps: {
    log: Log;
    telemetryDb: TelemetryDb;
    /** The business records; the alert book is there. */
    recordsDb: RecordsDb;
    logger: Logger;
    metrics: Registry;
    onFatal(err: Error): void;
  },
): Promise<RunningCloud> {
  // Whatever starts is closed in reverse order, by close() or by a later step that fails.
  return startWithCleanup(async (cleanup) => {
    // The recorder starts first so that it closes last: it records the alerts the processor
    // publishes while its actors stop.
    cleanup.adopt(
      await startAlertRecorder({
        log: deps.log,
        recordsDb: deps.recordsDb,
        // Named anew when the alert book moved to the business records: a new group starts at
        // the earliest record alerts.v1 still holds, so the alerts raised within its retention
        // are recorded in the new book.
        groupId: `${config.processorGroup}-alert-book`,
        logger: deps.logger,
        metrics: deps.metrics,
        onFatal: deps.onFatal,
      }),
    );
    cleanup.adopt(
      await startProcessor({
        log: deps.log,
        telemetryDb: deps.telemetryDb,
        groupId: config.processorGroup,
        logger: deps.logger,
        metrics: deps.metrics,
        onFatal: deps.onFatal,
        partitions: config.topicPartitions,
        tickMs: config.clockTickSeconds * 1000,
        sweepMs: config.clockTickSeconds > 0 ? 3_600_000 : 0,
        detectors: configuredDetectors(config),
      }),
    );
    // The live view reads the log from its end, in no consumer group.
    const live = new LiveFeed({
      log: deps.log,
      logger: deps.logger,
      metrics: deps.metrics,
      onError: deps.onFatal,
    });
    cleanup.adopt(live);
    await live.start();
    // Service plans and services recorded through the API reach the vehicles' actors in order
    // with the rest of their records, through service.v1.
    const serviceProducer = cleanup.adopt(await deps.log.createProducer());
    const publishServiceUpdate = (update: ServiceUpdate) =>
      serviceProducer.send([
        { topic: kafkaTopics.service, key: update.deviceId, value: encodeServiceUpdate(update) },
      ]);
    const api = cleanup.adopt(
      buildApi({
        telemetryDb: deps.telemetryDb,
        records: deps.recordsDb,
        access: accessOptions(config),
        logger: deps.logger,
        metrics: deps.metrics,
        live,
        publishServiceUpdate,
        limits: apiLimits(config),
      }),
    );
    const httpPort = await listenApi(api, config.httpHost, config.httpPort);
    const ops = cleanup.adopt(await startCloudOps(config, deps.metrics));
    return { httpPort, opsPort: ops.port, close: () => cleanup.close() };
  });
}

/** The vehicle detectors with the thresholds the configuration sets. */
function configuredDetectors(config: Config) {
  return vehicleDetectors({
    offlineAfterMs: config.offlineAfterHours * 3_600_000,
    dtcLimits: { maxCodeAlerts: config.dtcMaxCodeAlerts, alertsPerDay: config.dtcAlertsPerDay },
  });
}

/** The cloud process's /metrics and /healthz, apart from the public API. */
const startCloudOps = (config: Config, metrics: Registry) =>
  startOpsHttp({
    name: 'cloud operations',
    portSetting: 'CLOUD_OPS_PORT',
    host: config.cloudOpsHost,
    port: config.cloudOpsPort,
    metrics,
    healthy: () => true,
  });

/** How callers are let in, from the configuration. */
function accessOptions(config: Config) {
  return {
    idleMs: config.sessionIdleMinutes * 60_000,
    maxAgeMs: config.sessionMaxHours * 3_600_000,
    allowedHosts: config.httpAllowedHosts,
    corsOrigins: config.httpCorsOrigins,
  };
}

/** The API's bounds on connections, requests, live streams and ranges, from the configuration. */
function apiLimits(config: Config) {
  return {
    maxConnections: config.httpMaxConnections,
    maxConnectionsPerAddress: config.httpMaxConnectionsPerAddress,
    headersTimeoutMs: config.httpHeadersTimeoutMs,
    requestTimeoutMs: config.httpRequestTimeoutMs,
    keepAliveTimeoutMs: config.httpKeepAliveTimeoutMs,
    idleTimeoutMs: config.httpIdleTimeoutMs,
    maxBodyBytes: config.httpMaxBodyBytes,
    maxStreams: config.liveMaxStreams,
    maxStreamsPerAddress: config.liveMaxStreamsPerAddress,
    maxRangeDays: config.httpMaxRangeDays,
    trustProxy: config.httpTrustProxy,
  };
}
