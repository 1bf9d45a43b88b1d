import type {
  ActorSnapshot,
  DeviceStatusRow,
  EventRow,
  SampleRow,
  VehicleSeen,
} from '@fleetline/platform';
import type { AlertChange, DeviceStatus, TelemetryBatch, VehicleEvent } from '@fleetline/proto';
import type { Actor } from './actors/actor-system.js';
import { alertChanges } from './alerts/alert-changes.js';
import type { DetectorSet } from './detectors/detector-set.js';
import type { VehicleInput } from './detectors/vehicle.js';
import { PoisonMessageError, type SnapshotError } from './errors.js';
import { admit, emptyReorder, type HeldBatch, release, releaseAll } from './reorder.js';
import { admitSeq, nextUnaccounted, type RestartReason, type SeqMessage } from './seq-streams.js';
import {
  freshState,
  type RestoredState,
  restoreState,
  type VehicleActorState,
} from './vehicle-snapshot.js';

export type { VehicleActorState } from './vehicle-snapshot.js';

export interface TelemetryMessage {
  kind: 'telemetry';
  batch: TelemetryBatch;
  /** When the gateway received the batch (epoch ms). */
  receivedAtMs: number;
}

export interface EventMessage {
  kind: 'event';
  event: VehicleEvent;
  /** When the gateway received the event (epoch ms). */
  receivedAtMs: number;
}

export interface StatusMessage {
  kind: 'status';
  status: DeviceStatus;
  receivedAtMs: number;
}

/** The clock: lets time-based conditions (offline, maintenance by date) open without data. */
export interface TickMessage {
  kind: 'tick';
  nowMs: number;
}

/** A change made by people: a new service plan, or a service done (`service.v1`). */
export interface ServiceMessage {
  kind: 'service';
  input: Extract<VehicleInput, { kind: 'serviced' | 'plan' }>;
}

/** What a vehicle actor receives: records of its topics, and clock ticks. */
export type VehicleMessage =
  | TelemetryMessage
  | EventMessage
  | StatusMessage
  | TickMessage
  | ServiceMessage;

/** A stream of the device's messages that started again (see seq-streams.ts). */
export interface SeqRestart {
  readonly reason: RestartReason;
  readonly epoch: number;
  readonly seq: number;
}

/** Where a vehicle actor's effects go: the store and `alerts.v1`, each durable on resolve. */
export interface VehicleEffects {
  publishAlerts(changes: readonly AlertChange[]): Promise<void>;
  writeSamples(rows: readonly SampleRow[]): Promise<void>;
  writeLatest(rows: readonly SampleRow[]): Promise<void>;
  writeEvents(rows: readonly EventRow[]): Promise<void>;
  recordStatus(status: DeviceStatusRow): Promise<void>;
  markSeen(vehicles: readonly VehicleSeen[]): Promise<void>;
  saveSnapshot(snapshot: ActorSnapshot): Promise<void>;
  loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined>;
}

export interface VehicleActorDeps {
  effects: VehicleEffects;
  detectors: DetectorSet;
  /** Reports a snapshot that could not be restored (the actor starts afresh). */
  onBadSnapshot?(deviceId: string, error: SnapshotError): void;
  /** Reports a snapshot restored with parts filled from defaults or dropped (older code's). */
  onSnapshotMigrated?(deviceId: string, restored: RestoredState): void;
  /** Reports a message skipped as handled already. */
  onDuplicate?(deviceId: string, kind: VehicleMessage['kind']): void;
  /** Reports a message that started the device's stream again (its seq counter restarted). */
  onRestart?(deviceId: string, restart: SeqRestart): void;
  /**
   * How often a vehicle's latest values and last-seen time are written (default 10 s; 0: with
   * every batch). They are caches of what the samples say — the samples themselves are written
   * with every batch — so a vehicle at 1 Hz need not rewrite a dozen rows every second; what
   * is held back is written when the interval has passed, and when the actor stops.
   */
  cacheIntervalMs?: number;
  /** How long telemetry waits for an earlier batch before detection goes on (default 30 s). */
  reorderWindowMs?: number;
}

/** What became of a batch of messages. */
export interface VehicleOutcome {
  /** Messages that made the detectors throw, by index in the batch, with the error. */
  readonly poisoned: readonly { index: number; error: PoisonMessageError }[];
  /** Messages skipped as handled already (nothing of them stored), by index in the batch. */
  readonly duplicates: readonly number[];
  /** Samples stored (duplicates excluded). */
  readonly samples: number;
  readonly alertChanges: readonly AlertChange[];
}

/** The effects of the messages handled since the last flush, gathered to be written at once. */
class Pending {
  alerts: AlertChange[] = [];
  samples: SampleRow[] = [];
  latest = new Map<number, SampleRow>();
  events: EventRow[] = [];
  status: DeviceStatusRow | undefined;
  lastSeenMs: number | undefined;
  changed = false;
}

/**
 * One vehicle's actor. It receives the vehicle's messages of one consumer batch together, runs
 * the detectors on each in order, and then makes the effects of them all, in this order:
 * publish the alert changes; store samples, latest values, events, status and when the vehicle
 * was last heard from; snapshot its state. Every effect is idempotent (alert ids derive from
 * the finding, rows from their keys), so messages handled again after a crash — before their
 * snapshot — repeat the same effects, and those handled after it are recognised by their seq
 * and skipped (a set of seqs, not a high-water mark: a device resends an unacknowledged batch
 * after later ones got through when its gateway died): each sample stored once, each alert
 * raised once. A message that makes the detectors throw is reported as poison; the messages
 * before it are made durable first, and the actor carries on from its snapshot.
 */
export class VehicleActor implements Actor<readonly VehicleMessage[], VehicleOutcome> {
  private state: VehicleActorState | undefined;
  /** The savedMs of the newest snapshot known; each save goes past it (clocks tie, and skew). */
  private savedMs = 0;
  /** Latest values and last-seen time not written yet (see cacheIntervalMs). */
  private heldLatest = new Map<number, SampleRow>();
  private heldSeenMs: number | undefined;
  private cacheWrittenMs = 0;

  constructor(
    readonly deviceId: string,
    private readonly deps: VehicleActorDeps,
  ) {}

  async receive(messages: readonly VehicleMessage[]): Promise<VehicleOutcome> {
    let state = this.state ?? (await this.restore());
    let pending = new Pending();
    const poisoned: { index: number; error: PoisonMessageError }[] = [];
    const duplicates: number[] = [];
    let samples = 0;
    const alerts: AlertChange[] = [];
    const flush = async () => {
      samples += pending.samples.length;
      alerts.push(...pending.alerts);
      await this.flush(state, pending);
      pending = new Pending();
    };
    for (const [index, message] of messages.entries()) {
      try {
        const next = this.step(state, message, pending);
        if (next) state = next;
        else duplicates.push(index);
      } catch (err) {
        // Supervision: the state this message met may be what broke. What came before it is
        // made durable; the actor restarts from that snapshot.
        await flush();
        this.state = undefined;
        state = await this.restore();
        poisoned.push({
          index,
          error: new PoisonMessageError(
            `vehicle ${this.deviceId} cannot handle ${describe(message)}: ${(err as Error).message}`,
            { cause: err, deviceId: this.deviceId, seq: seqOf(message) },
          ),
        });
      }
    }
    try {
      await flush();
    } catch (err) {
      // Not durable: the next message finds the state of the last snapshot.
      this.state = undefined;
      throw err;
    }
    this.state = state;
    return { poisoned, duplicates, samples, alertChanges: alerts };
  }

  /** One message through the detectors; its effects join `pending`. Undefined: a duplicate. */
  private step(
    state: VehicleActorState,
    message: VehicleMessage,
    pending: Pending,
  ): VehicleActorState | undefined {
    // Effects are noted only once the detectors have taken the message: a poison message
    // leaves nothing behind.
    const noted: ((p: Pending) => void)[] = [];
    let streams = state.streams;
    let statusTimeMs = state.statusTimeMs;
    let reorder = state.reorder ?? emptyReorder;
    const inputs: VehicleInput[] = [];
    const windowMs = this.deps.reorderWindowMs ?? 30_000;
    // Telemetry is put in order within the current stream (the newest epoch).
    const accounted = (from: number) => {
      const current = streams[0];
      return current ? nextUnaccounted(current, from) : from;
    };
    const detectReady = (ready: readonly HeldBatch[]) => {
      for (const b of ready) {
        inputs.push({ kind: 'telemetry', samples: b.samples, receivedAtMs: b.receivedAtMs });
      }
    };
    let restart: SeqRestart | undefined;
    /** Marks the message's seq handled; undefined: handled already. */
    const admitted = (m: SeqMessage): { current: boolean } | undefined => {
      const verdict = admitSeq(streams, m);
      if (verdict.kind === 'duplicate') return undefined;
      streams = verdict.streams;
      if (verdict.restart) {
        // The device's counter started again: the old stream's gaps will not be filled, so
        // what waited for them goes on now, before the new stream's first message.
        detectReady(releaseAll(reorder));
        reorder = emptyReorder;
        restart = { reason: verdict.restart, epoch: m.epoch, seq: m.seq };
      }
      return { current: verdict.current };
    };
    switch (message.kind) {
      case 'telemetry': {
        const { batch } = message;
        const stream = admitted({
          topic: 'telemetry',
          epoch: batch.seqEpoch ?? 0,
          seq: batch.seq,
          timeMs: batch.baseTimeMs,
        });
        if (!stream) return this.duplicate(message);
        const held: HeldBatch = {
          seq: batch.seq,
          samples: batch.samples,
          receivedAtMs: message.receivedAtMs,
        };
        if (stream.current) {
          const r = admit(reorder, held, accounted, windowMs);
          reorder = r.state;
          detectReady(r.ready);
        } else {
          // A late batch of an older epoch: that stream is not put in order any more.
          detectReady([held]);
        }
        noted.push((p) => {
          for (const s of batch.samples) {
            const row = {
              deviceId: this.deviceId,
              signalId: s.signalId,
              timeMs: s.timeMs,
              value: s.value,
            };
            p.samples.push(row);
            const latest = p.latest.get(s.signalId);
            if (!latest || latest.timeMs <= s.timeMs) p.latest.set(s.signalId, row);
          }
          p.lastSeenMs = Math.max(p.lastSeenMs ?? 0, message.receivedAtMs);
        });
        break;
      }
      case 'event': {
        const { event } = message;
        const stream = admitted({
          topic: 'events',
          epoch: event.seqEpoch ?? 0,
          seq: event.seq,
          timeMs: event.timeMs,
        });
        if (!stream) return this.duplicate(message);
        // Events are never held (a collision must not wait); one may close a telemetry gap.
        inputs.push({ kind: 'event', event, receivedAtMs: message.receivedAtMs });
        const r = release(reorder, accounted, message.receivedAtMs, windowMs);
        reorder = r.state;
        detectReady(r.ready);
        noted.push((p) => {
          const { kind, ...detail } = event.payload;
          p.events.push({
            deviceId: this.deviceId,
            seq: event.seq,
            timeMs: event.timeMs,
            kind,
            detail: JSON.stringify(Object.values(detail)[0] ?? {}),
          });
          p.lastSeenMs = Math.max(p.lastSeenMs ?? 0, message.receivedAtMs);
        });
        break;
      }
      case 'status': {
        const { status } = message;
        if (statusTimeMs !== undefined && status.timeMs <= statusTimeMs)
          return this.duplicate(message);
        statusTimeMs = status.timeMs;
        // A device saying it is online was heard from; "offline" is its last will, sent by
        // the broker when the connection dropped, which says nothing new about the vehicle.
        const online = status.state === 'online';
        if (online) inputs.push({ kind: 'seen', timeMs: message.receivedAtMs });
        noted.push((p) => {
          p.status = { ...status, deviceId: this.deviceId };
          if (online) p.lastSeenMs = Math.max(p.lastSeenMs ?? 0, message.receivedAtMs);
        });
        break;
      }
      case 'tick': {
        // Telemetry that waited too long for a gap goes on before the clock moves.
        const r = release(reorder, accounted, message.nowMs, windowMs);
        reorder = r.state;
        detectReady(r.ready);
        inputs.push({ kind: 'tick', nowMs: message.nowMs });
        break;
      }
      case 'service':
        inputs.push(message.input);
        break;
    }
    let detectors = state.detectors;
    let openAlerts = state.openAlerts;
    const alerts: AlertChange[] = [];
    for (const input of inputs) {
      const detected = this.deps.detectors.detect(detectors, input);
      const changes = alertChanges(this.deviceId, openAlerts, detected.findings);
      detectors = detected.state;
      openAlerts = changes.open;
      alerts.push(...changes.changes);
    }
    pending.alerts.push(...alerts);
    for (const note of noted) note(pending);
    if (restart) this.deps.onRestart?.(this.deviceId, restart);
    // A clock tick usually changes nothing; saving every live vehicle's snapshot each minute
    // for nothing would put a burst of writes in front of the records behind it.
    if (
      message.kind !== 'tick' ||
      alerts.length > 0 ||
      inputs.length > 1 ||
      JSON.stringify(detectors) !== JSON.stringify(state.detectors)
    )
      pending.changed = true;
    return {
      version: state.version,
      detectors,
      openAlerts,
      streams,
      ...(statusTimeMs === undefined ? {} : { statusTimeMs }),
      ...(reorder.next === undefined ? {} : { reorder }),
    };
  }

  private duplicate(message: VehicleMessage): undefined {
    this.deps.onDuplicate?.(this.deviceId, message.kind);
    return undefined;
  }

  private async flush(state: VehicleActorState, pending: Pending): Promise<void> {
    if (!pending.changed) return;
    const fx = this.deps.effects;
    if (pending.alerts.length > 0) await fx.publishAlerts(pending.alerts);
    for (const [signal, row] of pending.latest) {
      const held = this.heldLatest.get(signal);
      if (!held || held.timeMs <= row.timeMs) this.heldLatest.set(signal, row);
    }
    if (pending.lastSeenMs !== undefined)
      this.heldSeenMs = Math.max(this.heldSeenMs ?? 0, pending.lastSeenMs);
    const nowMs = Date.now();
    const writeCaches = nowMs - this.cacheWrittenMs >= (this.deps.cacheIntervalMs ?? 10_000);
    await Promise.all([
      fx.writeSamples(pending.samples),
      fx.writeEvents(pending.events),
      pending.status ? fx.recordStatus(pending.status) : undefined,
      writeCaches ? this.writeCaches() : undefined,
    ]);
    // Strictly after the snapshot this state was restored from or last saved: a store keeps
    // the newest save, and two saves in one millisecond, or a new owner whose clock is behind
    // the old one's, must still count as newer.
    this.savedMs = Math.max(Date.now(), this.savedMs + 1);
    await fx.saveSnapshot({
      actorId: this.deviceId,
      data: JSON.stringify(state),
      savedMs: this.savedMs,
    });
  }

  /** Writes the latest values and last-seen time held back. */
  private async writeCaches(): Promise<void> {
    const latest = [...this.heldLatest.values()];
    const seenMs = this.heldSeenMs;
    this.heldLatest = new Map();
    this.heldSeenMs = undefined;
    this.cacheWrittenMs = Date.now();
    try {
      await Promise.all([
        this.deps.effects.writeLatest(latest),
        seenMs === undefined
          ? undefined
          : this.deps.effects.markSeen([{ deviceId: this.deviceId, lastSeenMs: seenMs }]),
      ]);
    } catch (err) {
      // Held again for the next try (newer values that came meanwhile win).
      for (const row of latest) {
        const held = this.heldLatest.get(row.signalId);
        if (!held || held.timeMs < row.timeMs) this.heldLatest.set(row.signalId, row);
      }
      if (seenMs !== undefined) this.heldSeenMs = Math.max(this.heldSeenMs ?? 0, seenMs);
      this.cacheWrittenMs = 0;
      throw err;
    }
  }

  /** Passivated or stopping: what was held back is written. */
  async stop(): Promise<void> {
    if (this.heldLatest.size > 0 || this.heldSeenMs !== undefined) await this.writeCaches();
  }

  private async restore(): Promise<VehicleActorState> {
    const snapshot = await this.deps.effects.loadSnapshot(this.deviceId);
    if (!snapshot) return freshState(this.deps.detectors);
    this.savedMs = Math.max(this.savedMs, snapshot.savedMs);
    let restored: RestoredState;
    try {
      restored = restoreState(snapshot.data, this.deps.detectors);
    } catch (err) {
      this.deps.onBadSnapshot?.(this.deviceId, err as SnapshotError);
      return freshState(this.deps.detectors);
    }
    if (restored.filled.length > 0 || restored.dropped.length > 0) {
      this.deps.onSnapshotMigrated?.(this.deviceId, restored);
    }
    return restored.state;
  }
}

function seqOf(m: VehicleMessage): number | undefined {
  return m.kind === 'telemetry' ? m.batch.seq : m.kind === 'event' ? m.event.seq : undefined;
}

function describe(m: VehicleMessage): string {
  const seq = seqOf(m);
  return seq === undefined ? m.kind : `${m.kind} seq ${seq}`;
}
