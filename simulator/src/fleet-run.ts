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
  return new FleetRunner(o);
}

/**
 * A run's vehicles, counts and two timers: the ramp connects vehicles at the rate asked for,
 * the sampler collects each connected vehicle's samples and publishes its batch when due.
 */
class FleetRunner implements FleetRun {
  readonly ids: readonly string[];
  readonly latency = new LatencyHistogram();
  private readonly sampleMs: number;
  private readonly batchMs: number;
  private readonly rampPerS: number;
  private readonly counts = { sent: 0, acked: 0, failed: 0, connected: 0, everConnected: 0 };
  private readonly vehicles: RunVehicle[] = [];
  private publishing = true;
  private drainWaiters: (() => void)[] = [];
  private readonly rampStart: number;
  private readonly ramp: NodeJS.Timeout;
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly o: FleetRunOptions) {
    this.sampleMs = o.sampleIntervalMs ?? 1000;
    this.batchMs = o.batchIntervalMs ?? 5000;
    this.rampPerS = o.rampPerS ?? 50;
    const prefix = o.idPrefix ?? 'sim';
    this.ids = Array.from({ length: o.vehicles }, (_, i) => vehicleId(prefix, i));
    // The ramp: as many vehicles as the rate allows so far, checked every 20 ms.
    this.rampStart = Date.now();
    this.ramp = setInterval(() => this.rampTick(), 20);
    this.rampTick();
    this.sampler = setInterval(() => this.sampleTick(), this.sampleMs);
  }

  stats(): FleetRunStats {
    const c = this.counts;
    return {
      target: this.ids.length,
      started: this.vehicles.length,
      connected: c.connected,
      everConnected: c.everConnected,
      sent: c.sent,
      acked: c.acked,
      failed: c.failed,
      inFlight: c.sent - c.acked - c.failed,
    };
  }

  stopPublishing(): void {
    if (!this.publishing) return;
    this.publishing = false;
    clearInterval(this.ramp);
    clearInterval(this.sampler);
  }

  async drain(timeoutMs: number): Promise<boolean> {
    const c = this.counts;
    if (c.acked + c.failed >= c.sent) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<boolean>((resolve) => this.drainWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.drainWaiters = [];
    return done;
  }

  async close(): Promise<void> {
    this.stopPublishing();
    await Promise.all(this.vehicles.map((v) => v.uplink.close().catch(() => {})));
  }

  private rampTick(): void {
    const due = Math.min(
      this.ids.length,
      Math.floor(((Date.now() - this.rampStart) * this.rampPerS) / 1000) + 1,
    );
    while (this.vehicles.length < due) this.connect(this.vehicles.length);
    if (this.vehicles.length >= this.ids.length) clearInterval(this.ramp);
  }

  private sampleTick(): void {
    const now = Date.now();
    for (const v of this.vehicles) {
      if (v.nextBatchMs === undefined || !v.drive) continue;
      v.pending.push(...v.drive.samplesUntil(now));
      if (now >= v.nextBatchMs) {
        v.nextBatchMs += this.batchMs;
        if (v.nextBatchMs < now) v.nextBatchMs = now + this.batchMs;
        if (v.pending.length > 0) this.publishPending(v);
      }
    }
  }

  /** Starts vehicle `i` connecting; its drive starts when it first comes online. */
  private connect(i: number): void {
    const o = this.o;
    const id = this.ids[i] as string;
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
        this.counts.connected++;
        if (v.nextBatchMs === undefined) this.startDriving(v);
      } else if (s !== 'online' && online) {
        online = false;
        this.counts.connected--;
      }
    });
    uplink.on('error', (err) => o.onError?.(id, err));
    this.vehicles.push(v);
  }

  private startDriving(v: RunVehicle): void {
    this.counts.everConnected++;
    const seed = fleetVehicleSeed(this.o.seed ?? 1, v.id);
    v.drive = new FleetVehicleDrive(seed, v.id, Date.now(), this.sampleMs, this.o.signals);
    // Out of step with the others: the first batch somewhere within one interval.
    v.nextBatchMs = Date.now() + Math.floor((((seedOf(v.id) >>> 0) % 1000) / 1000) * this.batchMs);
  }

  /** A vehicle's pending samples, in as many batches as the wire takes them in. */
  private publishPending(v: RunVehicle): void {
    const parts = fitTelemetry(v.id, v.pending, MAX_BATCH_BYTES);
    v.pending = [];
    for (const samples of parts) this.publish(v, samples);
  }

  private publish(v: RunVehicle, samples: Sample[]): void {
    const payload = encodeTelemetryBatch({
      deviceId: v.id,
      seq: ++v.seq,
      seqEpoch: v.seqEpoch,
      samples,
    });
    this.counts.sent++;
    const t0 = performance.now();
    v.uplink.publishTelemetry(payload).then(
      () => {
        const ms = performance.now() - t0;
        this.counts.acked++;
        this.latency.record(ms);
        this.o.onAck?.(v.id, ms);
        this.settled();
      },
      (err: Error) => {
        this.counts.failed++;
        this.o.onError?.(v.id, err);
        this.settled();
      },
    );
  }

  /** Wakes the drain once every publish is acknowledged or failed. */
  private settled(): void {
    const c = this.counts;
    if (c.acked + c.failed < c.sent) return;
    for (const w of this.drainWaiters.splice(0)) w();
  }
}
