import { MqttUplink } from '@fleetline/edge';
import { encodeTelemetryBatch, type Sample, signalId } from '@fleetline/proto';

/**
 * Publishes N vehicles × M batches of known samples through the real edge uplink, paced so
 * that faults can be injected mid-stream, and remembers exactly what it sent.
 */

export const signals = [
  { name: 'Vehicle.Speed', id: signalId('Vehicle.Speed'), scale: 100 },
  {
    name: 'Vehicle.Powertrain.CombustionEngine.ECT',
    id: signalId('Vehicle.Powertrain.CombustionEngine.ECT'),
    scale: 10,
  },
  {
    name: 'Vehicle.CurrentLocation.Latitude',
    id: signalId('Vehicle.CurrentLocation.Latitude'),
    scale: 1e7,
  },
] as const;

export const SAMPLES_PER_SIGNAL = 4;

export interface Credentials {
  username: string;
  password: string;
}

export interface PublishPlan {
  url: string;
  deviceIds: readonly string[];
  /** Each device's MQTT credentials (from the device registry). */
  credentials?: ReadonlyMap<string, Credentials>;
  batches: number;
  /** Pause between one vehicle's batches. */
  paceMs: number;
  /** Awaited before each batch is published (a drill holds the fleet back while it acts). */
  before?: (batch: number) => Promise<void>;
  baseTimeMs: number;
}

export interface PublishRun {
  readonly acked: () => number;
  readonly total: number;
  /** Resolves when every batch has its PUBACK. */
  readonly done: Promise<void>;
  expected(deviceId: string, signal: number): { t: string; v: number }[];
  /** The samples of each of the device's batches, in seq order. */
  batches(deviceId: string): Sample[][];
  close(): Promise<void>;
}

/** Time between a vehicle's samples of one signal (a batch spans 20 s). */
export const SAMPLE_SPACING_MS = 5000;

export function sampleValue(device: number, batch: number, i: number, signalIndex: number): number {
  const k = (device * 1000 + batch * SAMPLES_PER_SIGNAL + i) % 100_000;
  const { scale } = signals[signalIndex] as { scale: number };
  // Values on the signal's wire resolution, so they must come back bit-exact.
  if (signalIndex === 2) return 31 + k / scale;
  if (signalIndex === 1) {
    // Coolant running hot for 80 s, then cool for 80 s, over and over: the overheat alert
    // opens and clears in every cycle, a handful of alerts per vehicle.
    const hot = Math.floor(batch / 4) % 2 === 0;
    return (hot ? 1120 : 900) / 10 + (device % 5) + i / 10;
  }
  return (k % 20_000) / scale;
}

function batchSamples(d: number, b: number, base: number): Sample[] {
  const out: Sample[] = [];
  signals.forEach((s, si) => {
    for (let i = 0; i < SAMPLES_PER_SIGNAL; i++) {
      out.push({
        signalId: s.id,
        timeMs: base + (b * SAMPLES_PER_SIGNAL + i) * SAMPLE_SPACING_MS,
        value: sampleValue(d, b, i, si),
      });
    }
  });
  return out;
}

export function publishFleet(plan: PublishPlan): PublishRun {
  let acked = 0;
  const uplinks = plan.deviceIds.map(
    (deviceId) =>
      new MqttUplink({
        url: plan.url,
        deviceId,
        reconnectMs: 200,
        maxReconnectMs: 1000,
        ...plan.credentials?.get(deviceId),
      }),
  );
  for (const u of uplinks) u.on('error', () => {});
  const done = Promise.all(
    uplinks.map(async (uplink, d) => {
      const acks: Promise<void>[] = [];
      for (let b = 0; b < plan.batches; b++) {
        await plan.before?.(b);
        const payload = encodeTelemetryBatch({
          deviceId: uplink.deviceId,
          seq: b + 1,
          samples: batchSamples(d, b, plan.baseTimeMs),
        });
        acks.push(
          uplink.publishTelemetry(payload).then(() => {
            acked++;
          }),
        );
        await new Promise((r) => setTimeout(r, plan.paceMs));
      }
      await Promise.all(acks);
    }),
  ).then(() => {});
  return {
    acked: () => acked,
    total: plan.deviceIds.length * plan.batches,
    done,
    expected(deviceId, signal) {
      const d = plan.deviceIds.indexOf(deviceId);
      const si = signals.findIndex((s) => s.id === signal);
      const out: { t: string; v: number }[] = [];
      for (let b = 0; b < plan.batches; b++) {
        for (const s of batchSamples(d, b, plan.baseTimeMs)) {
          if (s.signalId === (signals[si] as { id: number }).id) {
            out.push({ t: new Date(s.timeMs).toISOString(), v: s.value });
          }
        }
      }
      return out.sort((x, y) => (x.t < y.t ? -1 : 1));
    },
    batches(deviceId) {
      const d = plan.deviceIds.indexOf(deviceId);
      return Array.from({ length: plan.batches }, (_, b) => batchSamples(d, b, plan.baseTimeMs));
    },
    close: () => Promise.all(uplinks.map((u) => u.close(true))).then(() => {}),
  };
}
