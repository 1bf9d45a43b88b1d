import { startCloud } from '@fleetline/cloud';
import { startGatewayService } from '@fleetline/gateway';
import {
  type Config,
  createMetricsRegistry,
  fleetlineTopics,
  type Logger,
  openLog,
  openStore,
} from '@fleetline/platform';
import { type FleetRun, startFleetRun, vehicleId } from '@fleetline/simulator';
import { simulatorCredentials } from './sim-credentials.js';

/**
 * The whole system in one process: gateway, log, processor, store, API and a simulated fleet.
 * Same code paths as the distributed deployment; the adapters follow the config (embedded
 * log and SQLite unless Kafka brokers / Cassandra contact points are set).
 */

export interface RunningSystem {
  readonly mqttPort: number;
  readonly mqttsPort: number | undefined;
  readonly httpPort: number;
  readonly logKind: string;
  readonly storeKind: string;
  readonly fleet: FleetRun | undefined;
  close(): Promise<void>;
}

export async function startSystem(
  config: Config,
  logger: Logger,
  onFatal: (err: Error) => void,
): Promise<RunningSystem> {
  const metrics = createMetricsRegistry({ service: 'fleetline' });
  const log = openLog(config);
  // Closed in reverse order of start.
  const closers: (() => Promise<void>)[] = [() => log.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    await log.ensureTopics(fleetlineTopics(config));
    const store = await openStore(config);
    closers.push(() => store.close());
    const cloud = await startCloud(config, { log, store, logger, metrics, onFatal });
    closers.push(() => cloud.close());
    const gateway = await startGatewayService(config, { log, logger, metrics, store });
    closers.push(() => gateway.close());
    let fleet: FleetRun | undefined;
    if (config.simVehicles > 0) {
      const host = config.mqttHost === '0.0.0.0' ? '127.0.0.1' : config.mqttHost;
      const idPrefix = 'sim';
      const ids = Array.from({ length: config.simVehicles }, (_, i) => vehicleId(idPrefix, i));
      const credentials =
        config.deviceAuth === 'registry'
          ? await simulatorCredentials(store, config.dataDir, ids, logger)
          : undefined;
      const running = startFleetRun({
        idPrefix,
        credentials: (id) => credentials?.get(id),
        url: `mqtt://${host}:${gateway.port}`,
        vehicles: config.simVehicles,
        batchIntervalMs: config.simBatchIntervalMs,
        onError: (deviceId, err) =>
          logger.warn({ deviceId, err: err.message }, 'simulated vehicle error'),
      });
      fleet = running;
      closers.push(() => running.close());
    }
    return {
      mqttPort: gateway.port,
      mqttsPort: gateway.tlsPort,
      httpPort: cloud.httpPort,
      logKind: log.kind,
      storeKind: store.kind,
      fleet,
      close: closeAll,
    };
  } catch (err) {
    await closeAll().catch(() => {});
    throw err;
  }
}
