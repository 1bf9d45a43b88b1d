import { MqttUplink } from '@fleetline/edge';
import { encodeTelemetryBatch, type Sample, type SignalName } from '@fleetline/proto';
import { FleetVehicleDrive, fleetVehicleSeed } from './fleet-vehicle.js';

/**
 * A fleet of simulated vehicles, each driving the drive model and publishing through the real edge
 * uplink (protobuf over MQTT QoS 1): a sample of every signal each sampleIntervalMs, a batch
 * each batchIntervalMs.
 */

export interface FleetOptions {
  url: string;
  vehicles: number;
  /** Vehicle ids are `${idPrefix}-0001`, … */
  idPrefix?: string;
  seed?: number;
  sampleIntervalMs?: number;
  batchIntervalMs?: number;
  /** What each vehicle samples (default fleetSignals; 'all': every catalogue signal). */
  signals?: readonly SignalName[] | 'all';
  /** Credentials per vehicle, when the gateway asks for them. */
  credentials?: (deviceId: string) => { username: string; password: string } | undefined;
  onError?: (deviceId: string, error: Error) => void;
}

export interface FleetStats {
  published: number;
  acknowledged: number;
  failed: number;
}

interface SimVehicle {
  id: string;
  drive: FleetVehicleDrive;
  uplink: MqttUplink;
  pending: Sample[];
  seq: number;
}

export interface RunningFleet {
  readonly ids: readonly string[];
  readonly stats: Readonly<FleetStats>;
  stop(): Promise<void>;
}

export function startFleet(o: FleetOptions): RunningFleet {
  const sampleMs = o.sampleIntervalMs ?? 1000;
  const batchMs = o.batchIntervalMs ?? 1000;
  const prefix = o.idPrefix ?? 'sim';
  const stats: FleetStats = { published: 0, acknowledged: 0, failed: 0 };
  const startMs = Date.now();
  const vehicles: SimVehicle[] = Array.from({ length: o.vehicles }, (_, i) => {
    const id = `${prefix}-${String(i + 1).padStart(4, '0')}`;
    const credentials = o.credentials?.(id);
    const uplink = new MqttUplink({
      url: o.url,
      deviceId: id,
      agentVersion: 'simulator',
      ...credentials,
    });
    uplink.on('error', (err) => o.onError?.(id, err));
    return {
      id,
      drive: new FleetVehicleDrive(
        fleetVehicleSeed(o.seed ?? 1, id),
        id,
        startMs,
        sampleMs,
        o.signals,
      ),
      uplink,
      pending: [],
      seq: 0,
    };
  });

  let lastBatch = Date.now();
  const sampler = setInterval(() => {
    const now = Date.now();
    for (const v of vehicles) {
      v.pending.push(...v.drive.samplesUntil(now));
    }
    if (now - lastBatch < batchMs) return;
    lastBatch = now;
    for (const v of vehicles) {
      if (v.pending.length === 0) continue;
      const payload = encodeTelemetryBatch({ deviceId: v.id, seq: ++v.seq, samples: v.pending });
      v.pending = [];
      stats.published++;
      v.uplink.publishTelemetry(payload).then(
        () => {
          stats.acknowledged++;
        },
        (err: Error) => {
          stats.failed++;
          o.onError?.(v.id, err);
        },
      );
    }
  }, sampleMs);

  return {
    ids: vehicles.map((v) => v.id),
    stats,
    async stop() {
      clearInterval(sampler);
      await Promise.all(vehicles.map((v) => v.uplink.close()));
    },
  };
}
