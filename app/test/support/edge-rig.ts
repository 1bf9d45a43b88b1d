import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloud } from '@fleetline/cloud';
import { generateSecret, hashSecret, startGatewayService } from '@fleetline/gateway';
import {
  createLogger,
  createMetricsRegistry,
  fleetlineTopics,
  loadConfig,
  openLog,
  openRecordsDb,
  openTelemetryDb,
  type RecordsDb,
  type TelemetryDb,
} from '@fleetline/platform';
import { TestCleanup } from '../../../test-support/cleanup.js';
import { Service } from '../../../test-support/process.js';

/**
 * Fleetline on the embedded adapters (gateway with a device registry, processor, telemetry
 * database, business records with the alert book) for tests that run real edge agents against it, and the agents themselves: each its own
 * process with a config written here.
 */
export interface EdgeRig {
  readonly telemetryDb: TelemetryDb;
  readonly recordsDb: RecordsDb;
  readonly mqttUrl: string;
  /** Fatal errors the cloud service reported. */
  readonly fatal: Error[];
  /** Registers a device; resolves with its secret. */
  register(deviceId: string): Promise<string>;
  /**
   * Starts the edge agent for a registered device with `inputs` (can/gnss/imu, signals,
   * collection, crash) merged into a config that uplinks to the rig's gateway.
   */
  startAgent(deviceId: string, secret: string, inputs: Record<string, unknown>): Service;
  close(): Promise<void>;
}

export async function startEdgeRig(dir: string): Promise<EdgeRig> {
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      logLevel: 'silent',
      mqttHost: '127.0.0.1',
      mqttPort: 0,
      httpHost: '127.0.0.1',
      httpPort: 0,
      cloudOpsPort: 0,
      gatewayHttpPort: 0,
      kafkaBrokers: [],
      cassandraContactPoints: [],
      deviceAuth: 'registry',
      topicPartitions: 1,
      samplesTtlDays: 0,
    },
  });
  const logger = createLogger('edge-rig', 'silent');
  const metrics = createMetricsRegistry({ service: 'edge-rig' });
  const cleanup = new TestCleanup({ ignoreFailures: true });
  const close = () => cleanup.run();
  try {
    const log = openLog(config);
    cleanup.defer(() => log.close());
    await log.ensureTopics(fleetlineTopics(config));
    const telemetryDb = await openTelemetryDb(config);
    cleanup.defer(() => telemetryDb.close());
    const recordsDb = await openRecordsDb(config);
    cleanup.defer(() => recordsDb.close());
    const fatal: Error[] = [];
    const cloud = await startCloud(config, {
      log,
      telemetryDb,
      recordsDb,
      logger,
      metrics,
      onFatal: (err) => fatal.push(err),
    });
    cleanup.defer(() => cloud.close());
    const gateway = await startGatewayService(config, { log, logger, metrics, telemetryDb });
    cleanup.defer(() => gateway.close());
    const mqttUrl = `mqtt://127.0.0.1:${gateway.port}`;
    return {
      telemetryDb,
      recordsDb,
      mqttUrl,
      fatal,
      async register(deviceId) {
        const secret = generateSecret();
        await telemetryDb.addDevice({
          deviceId,
          secretHash: await hashSecret(secret),
          createdMs: Date.now(),
        });
        return secret;
      },
      startAgent(deviceId, secret, inputs) {
        const file = join(dir, `${deviceId}.agent.json`);
        writeFileSync(
          file,
          JSON.stringify({
            deviceId,
            logLevel: 'warn',
            uplink: { url: mqttUrl, username: deviceId, password: secret, batchIntervalMs: 500 },
            spool: { dir: join(dir, `${deviceId}.spool`) },
            ...inputs,
          }),
        );
        const agent = Service.start(deviceId, 'edge/bin/fleetline-edge.js', {}, [
          'run',
          '--config',
          file,
        ]);
        // Killed by close() if the test has not stopped it.
        cleanup.defer(() => agent.kill());
        return agent;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
