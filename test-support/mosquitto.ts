import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';

/**
 * Removes what edge devices leave on a shared broker after a test: the edge uplink connects
 * with a persistent session and publishes a retained status, so without this every run of an
 * interop test leaves sessions (and their queued messages) and retained topics behind on the
 * machine's Mosquitto.
 *
 * A CONNECT with Clean Session = 1 discards the client id's session (MQTT-3.1.2-6), and an
 * empty retained PUBLISH removes the retained message (MQTT-3.3.1-10, -11).
 */
export async function forgetDevices(url: string, deviceIds: readonly string[]): Promise<void> {
  for (const deviceId of deviceIds) {
    const client = await mqtt.connectAsync(url, {
      clientId: deviceId,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    try {
      await client.publishAsync(mqttTopic(deviceId, 'status'), Buffer.alloc(0), {
        qos: 1,
        retain: true,
      });
    } finally {
      await client.endAsync();
    }
  }
}
