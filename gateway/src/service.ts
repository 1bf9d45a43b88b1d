import type { Config, Log, Logger, Registry } from '@fleetline/platform';
import { type RunningGateway, startGateway } from './gateway.js';
import { clientIdIdentity } from './identity.js';
import { type DeviceLookup, RegistryIdentity } from './registry-identity.js';

/**
 * The gateway of one process: its own producer on the log and the MQTT listener. `devices`
 * is the registry (the Store) that DEVICE_AUTH=registry reads.
 */
export async function startGatewayService(
  config: Config,
  deps: { log: Log; logger: Logger; metrics: Registry; devices: DeviceLookup },
): Promise<RunningGateway> {
  if (config.deviceAuth === 'open') {
    deps.logger.warn('DEVICE_AUTH=open: devices connect without credentials (development only)');
  }
  const producer = await deps.log.createProducer();
  try {
    const gateway = await startGateway({
      host: config.mqttHost,
      port: config.mqttPort,
      maxPacketBytes: config.mqttMaxPacketBytes,
      maxConnections: config.mqttMaxConnections,
      connectRatePerAddress: config.mqttConnectRatePerAddress,
      gatewayId: config.gatewayId,
      producer,
      identity:
        config.deviceAuth === 'open' ? clientIdIdentity : new RegistryIdentity(deps.devices),
      logger: deps.logger,
      metrics: deps.metrics,
    });
    return {
      port: gateway.port,
      get connectedClients() {
        return gateway.connectedClients;
      },
      async close() {
        await gateway.close();
        await producer.close();
      },
    };
  } catch (err) {
    await producer.close();
    throw err;
  }
}
