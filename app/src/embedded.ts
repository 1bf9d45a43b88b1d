import { startCloud } from '@fleetline/cloud';
import { startGatewayService } from '@fleetline/gateway';
import {
  createMetricsRegistry,
  fleetlineTopics,
  type Logger,
  openLog,
  openRecordsDb,
  openTelemetryDb,
  startWithCleanup,
} from '@fleetline/platform';
import { type FleetRun, startFleetRun, vehicleId } from '@fleetline/simulator';
import { type DemoSeeded, seedDemo } from './demo.js';
import type { AppConfig } from './settings.js';
import { simulatorCredentials } from './sim-credentials.js';

/**
 * The whole system in one process: gateway, log, processor, telemetry database, business
 * records, API and a simulated fleet.
 * Same code paths as the distributed deployment; the adapters follow the config (embedded
 * log and SQLite unless Kafka brokers / Cassandra contact points are set).
 */

export interface RunningSystem {
  readonly mqttPort: number;
  readonly mqttsPort: number | undefined;
  readonly httpPort: number;
  /** Where /metrics and /healthz are served. */
  readonly opsPort: number;
  /** The demo organisation, when DEMO is on: the people created now, with passwords. */
  readonly demo: DemoSeeded | undefined;
  readonly logKind: string;
  readonly telemetryDbKind: string;
  readonly recordsDbKind: string;
  readonly fleet: FleetRun | undefined;
  close(): Promise<void>;
}

export function startSystem(
  config: AppConfig,
  logger: Logger,
  onFatal: (err: Error) => void,
  /** A stop during the start (SIGTERM): the start ends after the step in hand. */
  abort?: AbortSignal,
): Promise<RunningSystem> {
  const metrics = createMetricsRegistry({ service: 'fleetline' });
  // Closed in reverse order of start, by close() or when a later step fails or is stopped.
  return startWithCleanup(async (cleanup) => {
    const log = cleanup.adopt(openLog(config));
    await log.ensureTopics(fleetlineTopics(config));
    const telemetryDb = cleanup.adopt(await openTelemetryDb(config));
    const recordsDb = cleanup.adopt(await openRecordsDb(config, logger));
    const simIds = Array.from({ length: config.simVehicles }, (_, i) => vehicleId('sim', i));
    // Before the API listens: the demo people can sign in as soon as it answers.
    const demo = config.demo ? await seedDemo(recordsDb, simIds) : undefined;
    const cloud = cleanup.adopt(
      await startCloud(config, { log, telemetryDb, recordsDb, logger, metrics, onFatal }),
    );
    const gateway = cleanup.adopt(
      await startGatewayService(config, { log, logger, metrics, telemetryDb }),
    );
    let fleet: FleetRun | undefined;
    if (config.simVehicles > 0) {
      const host = config.mqttHost === '0.0.0.0' ? '127.0.0.1' : config.mqttHost;
      const credentials =
        config.deviceAuth === 'registry'
          ? await simulatorCredentials(telemetryDb, config.dataDir, simIds, logger)
          : undefined;
      fleet = cleanup.adopt(
        startFleetRun({
          idPrefix: 'sim',
          credentials: (id) => credentials?.get(id),
          url: `mqtt://${host}:${gateway.port}`,
          vehicles: config.simVehicles,
          batchIntervalMs: config.simBatchIntervalMs,
          onError: (deviceId, err) =>
            logger.warn({ deviceId, err: err.message }, 'simulated vehicle error'),
        }),
      );
    }
    return {
      mqttPort: gateway.port,
      mqttsPort: gateway.tlsPort,
      httpPort: cloud.httpPort,
      opsPort: cloud.opsPort,
      demo,
      logKind: log.kind,
      telemetryDbKind: telemetryDb.kind,
      recordsDbKind: recordsDb.kind,
      fleet,
      close: () => cleanup.close(),
    };
  }, abort);
}
