import { type EventPayload, type Sample, signalId } from '@fleetline/proto';
import { type CollectionPolicy, Collector } from '../collect/policy.js';
import { SampleHistory } from '../collect/ring-buffer.js';
import { type TriggerConfig, TriggerEngine } from '../collect/triggers.js';
import { CrashDetector, type CrashDetectorOptions } from '../crash/detector.js';
import type { SignalMapper } from '../signals/mapping.js';
import type { Reading } from '../signals/reading.js';

/**
 * What happens to every reading, without any I/O: mapped onto catalogue signals, kept in the
 * full-rate history, fed to the crash detector and the triggers, and — when its collection
 * policy takes it — added to the open telemetry batch. Outputs go to the sink: telemetry
 * batches, and events (collisions at once, trigger captures and the rest of a collision's
 * window when their post-trigger windows close).
 */

export interface PipelineSink {
  telemetry(samples: Sample[]): void;
  /** Spools an event; resolves with its seq. */
  event(payload: EventPayload, timeMs: number): Promise<number | undefined>;
}

export interface PipelineOptions {
  mapper: SignalMapper;
  policyOf(signalId: number): CollectionPolicy;
  triggers: readonly TriggerConfig[];
  crash:
    | (CrashDetectorOptions & { enabled?: boolean; preMs?: number; postMs?: number })
    | undefined;
  batchIntervalMs: number;
  /** A batch is closed early at this many samples (keeps it under the byte bound). */
  maxBatchSamples: number;
}

export interface PipelineStats {
  readings: number;
  samples: number;
  collected: number;
  collisions: number;
  captures: number;
}

const ids = {
  speed: signalId('Vehicle.Speed'),
  ax: signalId('Vehicle.Acceleration.Longitudinal'),
  ay: signalId('Vehicle.Acceleration.Lateral'),
  lat: signalId('Vehicle.CurrentLocation.Latitude'),
  lon: signalId('Vehicle.CurrentLocation.Longitude'),
};

/**
 * The full-rate history must hold the longest window when it closes, or its oldest samples are
 * gone: at 100 Hz a ten-minute window is 60,000 samples a signal. It is sized for signals of up
 * to 200 samples a second (a CAN message every 5 ms, the fastest commonly sent) and never below
 * 16,384 a signal; rings grow only as a signal proves that busy (see ring-buffer.ts), so a
 * ten-minute window of ten 100 Hz signals holds about 10 MB.
 */
const HISTORY_RATE_HZ = 200;
/**
 * How much later than a window's end the sample that closes it may come, at most: the next
 * sample of any signal, or the 100 ms clock tick when inputs stop (see tick).
 */
const HISTORY_SLACK_MS = 5000;

function historyPerSignal(spanMs: number): number {
  return Math.max(16_384, Math.ceil((spanMs * HISTORY_RATE_HZ) / 1000));
}

export class TelemetryPipeline {
  private readonly history: SampleHistory;
  private readonly collector: Collector;
  private readonly triggers: TriggerEngine;
  private readonly crash: CrashDetector | undefined;
  private readonly crashPreMs: number;
  private readonly crashPostMs: number;
  private batch: Sample[] = [];
  private batchOpenedMs: number | undefined;
  private readonly collisionWindows: {
    seq: Promise<number | undefined>;
    triggeredAtMs: number;
    closesAtMs: number;
  }[] = [];
  /** Time of the newest sample and the wall time it arrived: the data clock for windows. */
  private dataTime: { sampleMs: number; wallMs: number } | undefined;
  readonly stats: PipelineStats = {
    readings: 0,
    samples: 0,
    collected: 0,
    collisions: 0,
    captures: 0,
  };

  constructor(
    private readonly o: PipelineOptions,
    private readonly sink: PipelineSink,
  ) {
    this.crashPreMs = o.crash?.preMs ?? 5000;
    this.crashPostMs = o.crash?.postMs ?? 5000;
    // The history must reach back over the longest window at the moment it closes.
    const triggerSpan = o.triggers.reduce(
      (m, t) => Math.max(m, (t.preMs ?? 10_000) + (t.postMs ?? 10_000)),
      0,
    );
    // The sample that closes a window comes after its end: the slack keeps the window's
    // first samples until then.
    const spanMs =
      Math.max(triggerSpan, this.crashPreMs + this.crashPostMs, 1000) + HISTORY_SLACK_MS;
    this.history = new SampleHistory(spanMs, historyPerSignal(spanMs));
    this.collector = new Collector(o.policyOf);
    this.triggers = new TriggerEngine(o.triggers, this.history);
    this.crash = o.crash?.enabled === false ? undefined : new CrashDetector(o.crash);
  }

  ingest(reading: Reading, nowMs: number): void {
    this.stats.readings++;
    for (const sample of this.o.mapper.map(reading)) this.sample(sample, nowMs);
  }

  private sample(s: Sample, nowMs: number): void {
    this.stats.samples++;
    if (!this.dataTime || s.timeMs >= this.dataTime.sampleMs)
      this.dataTime = { sampleMs: s.timeMs, wallMs: nowMs };
    this.history.add(s);
    if (this.crash) {
      if (s.signalId === ids.speed) this.crash.speed(s.timeMs, s.value);
      const axes =
        s.signalId === ids.ax
          ? { longitudinal: s.value }
          : s.signalId === ids.ay
            ? { lateral: s.value }
            : undefined;
      const hit = axes && this.crash.acceleration(s.timeMs, axes);
      if (hit) this.collision(hit);
    }
    for (const capture of this.triggers.update(s))
      this.capture(capture.name, capture.triggeredAtMs, capture.window, 0);
    // At the first sample past a window's end (see TriggerEngine.update).
    this.closeCollisionWindows((end) => end < s.timeMs);
    if (this.collector.take(s)) {
      this.stats.collected++;
      if (this.batch.length === 0) this.batchOpenedMs = nowMs;
      this.batch.push(s);
      if (this.batch.length >= this.o.maxBatchSamples) this.flush();
    }
  }

  private collision(hit: ReturnType<CrashDetector['acceleration']> & object): void {
    this.stats.collisions++;
    const lat = this.history.latest(ids.lat);
    const lon = this.history.latest(ids.lon);
    const window = this.history.window(hit.timeMs - this.crashPreMs, hit.timeMs);
    const seq = this.sink.event(
      {
        kind: 'collision',
        collision: {
          severity: hit.severity,
          peakG: hit.peakG,
          deltaVKmh: hit.deltaVKmh,
          direction: hit.direction,
          speedBeforeKmh: hit.speedBeforeKmh,
          window,
          ...(lat && lon ? { latitude: lat.value, longitude: lon.value } : {}),
        },
      },
      hit.timeMs,
    );
    this.collisionWindows.push({
      seq,
      triggeredAtMs: hit.timeMs,
      closesAtMs: hit.timeMs + this.crashPostMs,
    });
  }

  private closeCollisionWindows(ended: (closesAtMs: number) => boolean): void {
    while (
      this.collisionWindows.length > 0 &&
      ended(this.collisionWindows[0]?.closesAtMs ?? Infinity)
    ) {
      const w = this.collisionWindows.shift() as (typeof this.collisionWindows)[number];
      // The part after the trigger; the part before went with the collision event itself.
      const window = this.history.window(w.triggeredAtMs + 1, w.closesAtMs);
      const rest = (seq: number | undefined) =>
        this.capture('collision', w.triggeredAtMs, window, seq ?? 0);
      // A collision that could not be spooled (logged there) still gets the rest of its window.
      void w.seq.then(rest, () => rest(undefined));
    }
  }

  private capture(name: string, triggeredAtMs: number, window: Sample[], relatedSeq: number): void {
    this.stats.captures++;
    void this.sink.event(
      { kind: 'triggerCapture', capture: { name, triggeredAtMs, relatedSeq, window } },
      triggeredAtMs,
    );
  }

  /**
   * Closes the batch when it is old enough (wall clock), and trigger windows whose time has
   * come on the data clock — sample time, moved on by the wall time since the newest sample,
   * so windows close when inputs stop, and replayed logs with old timestamps work too.
   */
  tick(nowMs: number): void {
    if (this.dataTime) {
      const dataNow = this.dataTime.sampleMs + (nowMs - this.dataTime.wallMs);
      for (const capture of this.triggers.tick(dataNow)) {
        this.capture(capture.name, capture.triggeredAtMs, capture.window, 0);
      }
      this.closeCollisionWindows((end) => end <= dataNow);
    }
    if (this.batchOpenedMs !== undefined && nowMs - this.batchOpenedMs >= this.o.batchIntervalMs)
      this.flush();
  }

  /** Hands the open batch to the sink (e.g. at shutdown). */
  flush(): void {
    if (this.batch.length === 0) return;
    const samples = this.batch;
    this.batch = [];
    this.batchOpenedMs = undefined;
    this.sink.telemetry(samples);
  }

  get openBatchSize(): number {
    return this.batch.length;
  }
}
