import type { Config, Log, Logger, Registry } from '@fleetline/platform';
import { type RunningGateway, startGateway } from './gateway.js';
import { clientIdIdentity } from './identity.js';

/** The gateway of one process: its own producer on the log and the MQTT listener. */
export async function startGatewayService(
  config: Config,
  deps: { log: Log; logger: Logger; metrics: Registry },
): Promise<RunningGateway> {
  const producer = await deps.log.createProducer();
  try {
    const gateway = await startGateway({
      host: config.mqttHost,
      port: config.mqttPort,
      gatewayId: config.gatewayId,
      producer,
      identity: clientIdIdentity,
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
