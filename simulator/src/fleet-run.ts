import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  fitTelemetry,
  MqttUplink,
  type MqttUplinkOptions,
  type UplinkState,
} from '@fleetline/edge';
import { encodeTelemetryBatch, type Sample, type SignalName } from '@fleetline/proto';
import { type FleetRunStats, LatencyHistogram } from './fleet-stats.js';
import { FleetVehicleDrive, fleetVehicleSeed } from './fleet-vehicle.js';
import { seedOf } from './random.js';

/**
 * A load run: vehicles connected at a steady rate (the ramp), each driving the drive model and
 * publishing protobuf telemetry batches through the real edge uplink (MQTT QoS 1) once it is
 * connected, out of step with the others. Counts every publish and its PUBACK latency and
 * reports them through callbacks; stopping publishing, waiting for the outstanding PUBACKs
 * and closing are separate steps, so the caller decides how long to wait.
 */

export interface FleetRunOptions {
  url: string;
  vehicles: number;
  /** New connections per second (default 50). */
  rampPerS?: number;
  /** Vehicle ids are `${idPrefix}-0001`, … (default `sim`). */
  idPrefix?: string;
  seed?: number;
  sampleIntervalMs?: number;
  batchIntervalMs?: number;
  /** What each vehicle samples (default fleetSignals; 'all': every catalogue signal). */
  signals?: readonly SignalName[] | 'all';
  credentials?: (deviceId: string) => { username: string; password: string } | undefined;
  tls?: MqttUplinkOptions['tls'];
  /** Every error of a vehicle's connection or publish. */
  onError?: (deviceId: string, error: Error) => void;
  /** Each PUBACK, with the time since the publish. */
  onAck?: (deviceId: string, latencyMs: number) => void;
}

export interface FleetRun {
  readonly ids: readonly string[];
  readonly latency: LatencyHistogram;
  stats(): FleetRunStats;
  /** Ends the ramp and the sampling: nothing more is published. */
  stopPublishing(): void;
  /** Resolves true once every publish is acknowledged or failed, false at the deadline. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Disconnects every vehicle (publishes still outstanding fail). */
  close(): Promise<void>;
}

interface RunVehicle {
  id: string;
  /** Made when the vehicle first connects: its drive starts then. */
  drive: FleetVehicleDrive | undefined;
  uplink: MqttUplink;
  pending: Sample[];
  seq: number;
  /**
   * The epoch of its seqs: each run numbers a vehicle's batches from 1, so a run started again
   * (as `npm start` is, on the same data) sends them in a new epoch, chosen at random here —
   * never from the seed, which a restart repeats.
   */
  seqEpoch: number;
  /** When the next batch goes (set at its first connect). */
  nextBatchMs: number | undefined;
}

/**
 * The most one batch may take, as the edge agent's default: half the gateway's default packet
 * limit. A batch of more (or of more samples than one message carries: long intervals at a
 * fast sample rate) goes as several, each with a seq of its own.
 */
const MAX_BATCH_BYTES = 128 * 1024;

export function vehicleId(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(4, '0')}`;
}

export function startFleetRun(o: FleetRunOptions): FleetRun {
  const sampleMs = o.sampleIntervalMs ?? 1000;
  const batchMs = o.batchIntervalMs ?? 5000;
  const rampPerS = o.rampPerS ?? 50;
  const prefix = o.idPrefix ?? 'sim';
  const ids = Array.from({ length: o.vehicles }, (_, i) => vehicleId(prefix, i));
  const latency = new LatencyHistogram();
  const counts = { sent: 0, acked: 0, failed: 0, connected: 0, everConnected: 0 };
  const vehicles: RunVehicle[] = [];
  let publishing = true;
  let drainWaiters: (() => void)[] = [];
  const settled = () => {
    if (counts.acked + counts.failed < counts.sent) return;
    for (const w of drainWaiters.splice(0)) w();
  };

  const create = (i: number) => {
    const id = ids[i] as string;
    const uplink = new MqttUplink({
      url: o.url,
      deviceId: id,
      agentVersion: 'simulator',
      ...o.credentials?.(id),
      ...(o.tls ? { tls: o.tls } : {}),
    });
    const v: RunVehicle = {
      id,
      drive: undefined,
      uplink,
      pending: [],
      seq: 0,
      seqEpoch: randomInt(1, 2 ** 32),
      nextBatchMs: undefined,
    };
    let online = false;
    uplink.on('state', (s: UplinkState) => {
      if (s === 'online' && !online) {
        online = true;
        counts.connected++;
        if (v.nextBatchMs === undefined) {
          counts.everConnected++;
          v.drive = new FleetVehicleDrive(
            fleetVehicleSeed(o.seed ?? 1, id),
            id,
            Date.now(),
            sampleMs,
            o.signals,
          );
          // Out of step with the others: the first batch somewhere within one interval.
          v.nextBatchMs = Date.now() + Math.floor((((seedOf(id) >>> 0) % 1000) / 1000) * batchMs);
        }
      } else if (s !== 'online' && online) {
        online = false;
        counts.connected--;
      }
    });
    uplink.on('error', (err) => o.onError?.(id, err));
    vehicles.push(v);
  };

  /** A vehicle's pending samples, in as many batches as the wire takes them in. */
  const publishPending = (v: RunVehicle) => {
    const parts = fitTelemetry(v.id, v.pending, MAX_BATCH_BYTES);
    v.pending = [];
    for (const samples of parts) publish(v, samples);
  };

  const publish = (v: RunVehicle, samples: Sample[]) => {
    const payload = encodeTelemetryBatch({
      deviceId: v.id,
      seq: ++v.seq,
      seqEpoch: v.seqEpoch,
      samples,
    });
    counts.sent++;
    const t0 = performance.now();
    v.uplink.publishTelemetry(payload).then(
      () => {
        const ms = performance.now() - t0;
        counts.acked++;
        latency.record(ms);
        o.onAck?.(v.id, ms);
        settled();
      },
      (err: Error) => {
        counts.failed++;
        o.onError?.(v.id, err);
        settled();
      },
    );
  };

  // The ramp: as many vehicles as the rate allows so far, checked every 20 ms.
  const rampStart = Date.now();
  const rampTick = () => {
    const due = Math.min(ids.length, Math.floor(((Date.now() - rampStart) * rampPerS) / 1000) + 1);
    while (vehicles.length < due) create(vehicles.length);
    if (vehicles.length >= ids.length) clearInterval(ramp);
  };
  const ramp = setInterval(rampTick, 20);
  rampTick();

  const sampler = setInterval(() => {
    const now = Date.now();
    for (const v of vehicles) {
      if (v.nextBatchMs === undefined || !v.drive) continue;
      v.pending.push(...v.drive.samplesUntil(now));
      if (now >= v.nextBatchMs) {
        v.nextBatchMs += batchMs;
        if (v.nextBatchMs < now) v.nextBatchMs = now + batchMs;
        if (v.pending.length > 0) publishPending(v);
      }
    }
  }, sampleMs);

  return {
    ids,
    latency,
    stats: () => ({
      target: ids.length,
      started: vehicles.length,
      connected: counts.connected,
      everConnected: counts.everConnected,
      sent: counts.sent,
      acked: counts.acked,
      failed: counts.failed,
      inFlight: counts.sent - counts.acked - counts.failed,
    }),
    stopPublishing() {
      if (!publishing) return;
      publishing = false;
      clearInterval(ramp);
      clearInterval(sampler);
    },
    async drain(timeoutMs) {
      if (counts.acked + counts.failed >= counts.sent) return true;
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        new Promise<boolean>((resolve) => drainWaiters.push(() => resolve(true))),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      drainWaiters = [];
      return done;
    },
    async close() {
      this.stopPublishing();
      await Promise.all(vehicles.map((v) => v.uplink.close().catch(() => {})));
    },
  };
}
