import { readFileSync } from 'node:fs';
import {
  type CommandQueue,
  type Config,
  ConfigError,
  type Log,
  type Logger,
  type Registry,
  startWithCleanup,
} from '@fleetline/platform';
import { startDownlink } from './downlink.js';
import { type RunningGateway, startGateway } from './gateway.js';
import { clientIdIdentity } from './identity.js';
import { openFileLimit, RESERVED_FILES } from './open-file-limit.js';
import { type DeviceLookup, RegistryIdentity } from './registry-identity.js';

/**
 * The gateway of one process: its own producer on the log, the MQTT listener and the
 * downlink. `telemetryDb` is the device registry that DEVICE_AUTH=registry reads, and
 * where commands wait for devices connected nowhere.
 */
export async function startGatewayService(
  config: Config,
  deps: { log: Log; logger: Logger; metrics: Registry; telemetryDb: DeviceLookup & CommandQueue },
): Promise<RunningGateway> {
  if (config.deviceAuth === 'open') {
    deps.logger.warn('DEVICE_AUTH=open: devices connect without credentials (development only)');
  }
  const files = openFileLimit();
  if (files !== undefined && config.mqttMaxConnections + RESERVED_FILES > files) {
    deps.logger.warn(
      { mqttMaxConnections: config.mqttMaxConnections, openFileLimit: files },
      `MQTT_MAX_CONNECTIONS (${config.mqttMaxConnections}) leaves fewer than ${RESERVED_FILES} of the process's ${files} open files for the HTTP API, the store and the log: lower it, or raise the limit (ulimit -n, systemd LimitNOFILE=)`,
    );
  }
  const tls = tlsOptions(config);
  return startWithCleanup(async (cleanup) => {
    const producer = cleanup.adopt(await deps.log.createProducer());
    const gateway = cleanup.adopt(
      await startGateway({
        host: config.mqttHost,
        port: config.mqttPort,
        maxPacketBytes: config.mqttMaxPacketBytes,
        maxConnections: config.mqttMaxConnections,
        maxConnectionsPerAddress: config.mqttMaxConnectionsPerAddress,
        connectRatePerAddress: config.mqttConnectRatePerAddress,
        deviceBytesPerMinute: config.mqttDeviceBytesPerMinute,
        maxClockAheadMs: config.deviceClockMaxAheadSeconds * 1000,
        ...(tls ? { tls } : {}),
        ...(config.mqttWsPort >= 0 ? { webSocketPort: config.mqttWsPort } : {}),
        gatewayId: config.gatewayId,
        producer,
        identity:
          config.deviceAuth === 'open'
            ? clientIdIdentity
            : new RegistryIdentity(deps.telemetryDb, {
                hashConcurrency: config.mqttAuthHashConcurrency,
                hashQueue: config.mqttAuthHashQueue,
                failuresPerDevicePerMinute: config.mqttAuthFailuresPerDevice,
                failuresPerAddressPerMinute: config.mqttAuthFailuresPerAddress,
              }),
        hold: deps.telemetryDb,
        logger: deps.logger,
        metrics: deps.metrics,
      }),
    );
    cleanup.adopt(
      await startDownlink({
        log: deps.log,
        gatewayId: config.gatewayId,
        deliver: (deviceId, payload) => gateway.deliverCommand(deviceId, payload),
        hold: deps.telemetryDb,
        logger: deps.logger,
        commands: gateway.commandsMetric,
      }),
    );
    return {
      port: gateway.port,
      tlsPort: gateway.tlsPort,
      webSocketPort: gateway.webSocketPort,
      commandsMetric: gateway.commandsMetric,
      deliverCommand: (deviceId, payload) => gateway.deliverCommand(deviceId, payload),
      get connectedClients() {
        return gateway.connectedClients;
      },
      // The downlink stops first, then the gateway drains, then its producer closes.
      close: () => cleanup.close(),
    };
  });
}

/** The TLS listener's files, read once at start; a missing or unreadable one stops the start. */
function tlsOptions(config: Config) {
  if (!config.mqttsCertFile && !config.mqttsKeyFile) return undefined;
  const read = (file: string, variable: string): Buffer => {
    if (!file)
      throw new ConfigError(`${variable} must be set with the other TLS files`, [variable]);
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`${variable}: cannot read ${file}: ${(err as Error).message}`, [
        variable,
      ]);
    }
  };
  return {
    port: config.mqttsPort,
    cert: read(config.mqttsCertFile, 'MQTTS_CERT_FILE'),
    key: read(config.mqttsKeyFile, 'MQTTS_KEY_FILE'),
    ...(config.mqttsCaFile ? { ca: read(config.mqttsCaFile, 'MQTTS_CA_FILE') } : {}),
  };
}
