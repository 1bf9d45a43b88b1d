import type {
  ActorSnapshot,
  DeviceStatusRow,
  EventRow,
  SampleRow,
  VehicleSeen,
} from '@fleetline/platform';
import type { AlertChange, DeviceStatus, TelemetryBatch, VehicleEvent } from '@fleetline/proto';
import type { Actor } from './actors/actor-system.js';
import { alertChanges, type OpenAlerts } from './alerts/alert-changes.js';
import type { VehicleDetectorState, VehicleInput, vehicleDetectors } from './detectors/vehicle.js';
import { PoisonMessageError } from './errors.js';
import { admit, emptyReorder, type HeldBatch, type ReorderState, release } from './reorder.js';
import { addSeq, emptySeqWindow, type SeqWindow, seenSeq } from './seq-window.js';

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

/** What a vehicle actor keeps between messages, snapshotted to the store as JSON. */
export interface VehicleActorState {
  /** Snapshot layout version; a snapshot of another layout is not restored. */
  readonly version: 1;
  readonly detectors: VehicleDetectorState;
  readonly openAlerts: OpenAlerts;
  /**
   * The seqs handled, per topic: a message with one of them is a redelivery. Telemetry and
   * events share the device's seq counter but travel on different topics, each in its own
   * order, so each keeps its own window.
   */
  readonly telemetrySeqs: SeqWindow;
  readonly eventSeqs: SeqWindow;
  /** The newest status report handled (status reports carry no seq; older ones are stale). */
  readonly statusTimeMs?: number;
  /** Telemetry waiting for an earlier batch before its detection (see reorder.ts). */
  readonly reorder?: ReorderState;
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
  detectors: ReturnType<typeof vehicleDetectors>;
  /** Reports a snapshot that could not be restored (the actor starts afresh). */
  onBadSnapshot?(deviceId: string, error: Error): void;
  /** Reports a message skipped as handled already. */
  onDuplicate?(deviceId: string, kind: VehicleMessage['kind']): void;
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
    return { poisoned, samples, alertChanges: alerts };
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
    let telemetrySeqs = state.telemetrySeqs;
    let eventSeqs = state.eventSeqs;
    let statusTimeMs = state.statusTimeMs;
    let reorder = state.reorder ?? emptyReorder;
    const inputs: VehicleInput[] = [];
    const windowMs = this.deps.reorderWindowMs ?? 30_000;
    const accounted = (seq: number) => seenSeq(telemetrySeqs, seq) || seenSeq(eventSeqs, seq);
    const detectReady = (ready: readonly HeldBatch[]) => {
      for (const b of ready) {
        inputs.push({ kind: 'telemetry', samples: b.samples, receivedAtMs: b.receivedAtMs });
      }
    };
    switch (message.kind) {
      case 'telemetry': {
        const { batch } = message;
        if (seenSeq(telemetrySeqs, batch.seq)) return this.duplicate(message);
        telemetrySeqs = addSeq(telemetrySeqs, batch.seq);
        const r = admit(
          reorder,
          { seq: batch.seq, samples: batch.samples, receivedAtMs: message.receivedAtMs },
          accounted,
          windowMs,
        );
        reorder = r.state;
        detectReady(r.ready);
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
        if (seenSeq(eventSeqs, event.seq)) return this.duplicate(message);
        eventSeqs = addSeq(eventSeqs, event.seq);
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
      version: 1,
      detectors,
      openAlerts,
      telemetrySeqs,
      eventSeqs,
      statusTimeMs,
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
    const fresh: VehicleActorState = {
      version: 1,
      detectors: this.deps.detectors.initial(),
      openAlerts: {},
      telemetrySeqs: emptySeqWindow,
      eventSeqs: emptySeqWindow,
    };
    const snapshot = await this.deps.effects.loadSnapshot(this.deviceId);
    if (!snapshot) return fresh;
    this.savedMs = Math.max(this.savedMs, snapshot.savedMs);
    try {
      const restored = JSON.parse(snapshot.data) as VehicleActorState;
      if (restored.version !== 1) throw new Error(`snapshot layout ${restored.version} is not 1`);
      return restored;
    } catch (err) {
      this.deps.onBadSnapshot?.(this.deviceId, err as Error);
      return fresh;
    }
  }
}

function seqOf(m: VehicleMessage): number | undefined {
  return m.kind === 'telemetry' ? m.batch.seq : m.kind === 'event' ? m.event.seq : undefined;
}

function describe(m: VehicleMessage): string {
  const seq = seqOf(m);
  return seq === undefined ? m.kind : `${m.kind} seq ${seq}`;
}
