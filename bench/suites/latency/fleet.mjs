// The latency suite's load generator: MQTT.js clients, one per vehicle, each sampling the
// simulator's drive model and publishing telemetry batches at QoS 1.
import { encodeTelemetryBatch } from '@fleetline/proto';
import { FleetVehicleDrive } from '@fleetline/simulator';
import mqtt from 'mqtt';

/** `count` MQTT clients connected to `url`, 50 at a time, numbered from `first`. */
export async function connectAll(url, count, first = 0) {
  const clients = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, k) =>
      mqtt.connectAsync(url, {
        clientId: `benchlat-${String(first + i + k).padStart(5, '0')}`,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
        writeCache: false,
      }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** A vehicle for each connected client: its id, sequence number and drive model. */
export function fleetOf(clients, first = 0) {
  return clients.map((client, k) => ({
    id: client.options.clientId,
    client,
    seq: 0,
    // Vehicles are not in step: each sends its batches at its own phase of the interval.
    ticks: first + k,
    drive: new FleetVehicleDrive(first + k + 1, client.options.clientId, Date.now(), 1000),
  }));
}

/**
 * Every vehicle publishes a telemetry batch each second (the simulator's drive model: 15
 * signals sampled at 1 Hz), phases spread over the second; publish→PUBACK times are kept
 * while `measuring`.
 */
export function startTelemetry(vehicles, batchEveryS) {
  const state = {
    measuring: false,
    pubacks: [],
    published: 0,
    acked: 0,
    samplesAcked: 0,
    failed: 0,
  };
  const timers = [];
  for (const [i, v] of vehicles.entries()) {
    // Sampled every second; sent every batchEveryS seconds, as the edge agent batches.
    const held = [];
    const tick = () => {
      held.push(...v.drive.samplesUntil(Date.now()));
      if (++v.ticks % batchEveryS !== 0) return;
      const samples = held.splice(0);
      const payload = Buffer.from(encodeTelemetryBatch({ deviceId: v.id, seq: ++v.seq, samples }));
      const measured = state.measuring;
      const sent = performance.now();
      state.published++;
      v.client.publish(`v1/${v.id}/telemetry`, payload, { qos: 1 }, (err) => {
        if (err) {
          state.failed++;
          return;
        }
        state.acked++;
        state.samplesAcked += samples.length;
        if (measured) state.pubacks.push(performance.now() - sent);
      });
    };
    timers.push(
      setTimeout(
        () => {
          tick();
          timers.push(setInterval(tick, 1000));
        },
        Math.floor((i * 1000) / vehicles.length),
      ),
    );
  }
  return {
    state,
    stop() {
      for (const t of timers) clearTimeout(t); // clears intervals too
    },
  };
}
