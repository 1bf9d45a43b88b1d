import type {
  ActorSnapshot,
  DeviceStatusRow,
  EventRow,
  SampleRow,
  VehicleSeen,
} from '@fleetline/platform';
import type { AlertChange } from '@fleetline/proto';
import type { Actor } from './actors/actor-system.js';
import type { DetectorSet } from './detectors/detector-set.js';
import { PoisonMessageError, type SnapshotError } from './errors.js';
import { LatestValueCache } from './vehicle-latest-values.js';
import {
  describeMessage,
  type SeqRestart,
  seqOf,
  type VehicleMessage,
  type VehicleOutcome,
} from './vehicle-messages.js';
import { PendingEffects } from './vehicle-pending.js';
import {
  freshState,
  type RestoredState,
  restoreState,
  type VehicleActorState,
} from './vehicle-snapshot.js';
import { step } from './vehicle-step.js';

export type { VehicleActorState } from './vehicle-snapshot.js';

/**
 * Where a vehicle actor's effects go: the telemetry database and `alerts.v1`, each durable on
 * resolve.
 */
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

/** Effects waiting for the writes before them, and the state to snapshot after them. */
interface WaitingWrites {
  readonly pending: PendingEffects;
  state: VehicleActorState;
  durable: Promise<void>;
}

/** Messages taken in by an actor: what became of them, and when their effects are durable. */
export interface Accepted {
  readonly outcome: VehicleOutcome;
  /** Resolves once the effects are durable; rejects when they could not be made so. */
  readonly durable: Promise<void>;
}

/**
 * One vehicle's actor. It takes in the vehicle's messages of one consumer batch together
 * (accept), runs the detectors on each in order and publishes the alert changes they give; it
 * is then free for the vehicle's next messages — a collision does not wait behind the writes
 * of the telemetry before it. The rest of the effects are made durable behind the alerts and
 * behind the effects of the messages taken in before, in this order: samples, latest values,
 * events, status and when the vehicle was last heard from; then its state's snapshot. So a
 * snapshot is only ever saved once everything it accounts for is durable.
 *
 * Every effect is idempotent (alert ids derive from the finding, rows from their keys), so
 * messages handled again after a crash — before their snapshot — repeat the same effects, and
 * those handled after it are recognised by their seq and skipped (a set of seqs, not a
 * high-water mark: a device resends an unacknowledged batch after later ones got through when
 * its gateway died): each sample stored once, each alert raised once. Effects that could not be
 * made durable fail those of every message taken in after them, and the actor's next messages
 * meet the state of the last snapshot. A message that makes the detectors throw is reported as
 * poison and leaves nothing behind; the actor goes on from the state it met, as its snapshot
 * would restore it.
 */
export class VehicleActor implements Actor<readonly VehicleMessage[], VehicleOutcome> {
  private state: VehicleActorState | undefined;
  /** The savedMs of the newest snapshot known; each save goes past it (clocks tie, and skew). */
  private savedMs = 0;
  /** Latest values and last-seen time not written yet (see cacheIntervalMs). */
  private readonly cache = new LatestValueCache();
  /** The effects of the messages taken in so far, durable when it resolves. */
  private writes: Promise<void> = Promise.resolve();
  /** Writes queued behind those under way, not started yet: later messages' effects join them. */
  private waiting: WaitingWrites | undefined;
  /** Counts the times the state in memory was given up for the snapshot (see forget()). */
  private generation = 0;

  constructor(
    readonly deviceId: string,
    private readonly deps: VehicleActorDeps,
  ) {}

  /** Takes the messages in and waits until their effects are durable. */
  async receive(messages: readonly VehicleMessage[]): Promise<VehicleOutcome> {
    const accepted = await this.accept(messages);
    await accepted.durable;
    return accepted.outcome;
  }

  /**
   * Runs the messages through the detectors and publishes their alert changes; resolves once
   * those are published (or failed), with the writes of the rest under way.
   */
  async accept(messages: readonly VehicleMessage[]): Promise<Accepted> {
    let state = this.state ?? (await this.restoreAfterWrites());
    const pending = new PendingEffects();
    const poisoned: { index: number; error: PoisonMessageError }[] = [];
    const duplicates: number[] = [];
    for (const [index, message] of messages.entries()) {
      try {
        const next = this.step(state, message, pending);
        if (next) state = next;
        else duplicates.push(index);
      } catch (err) {
        // Supervision: the state this message met may be what broke. The actor goes on from
        // it as its snapshot would restore it (the snapshot saved before this message would
        // hold exactly that state), and the message leaves nothing behind.
        state = this.restart(state);
        poisoned.push({
          index,
          error: new PoisonMessageError(
            `vehicle ${this.deviceId} cannot handle ${describeMessage(message)}: ${(err as Error).message}`,
            { cause: err, deviceId: this.deviceId, seq: seqOf(message) },
          ),
        });
      }
    }
    this.state = state;
    const alerts = pending.alerts;
    const outcome = { poisoned, duplicates, samples: pending.samples.length, alertChanges: alerts };
    if (alerts.length > 0) {
      const generation = this.generation;
      try {
        await this.deps.effects.publishAlerts(alerts);
      } catch (err) {
        // Not published: the state that raised them is not kept.
        this.forget(generation);
        const durable = Promise.reject(err as Error);
        durable.catch(() => {});
        return { outcome, durable };
      }
    }
    return { outcome, durable: this.enqueue(state, pending) };
  }

  /**
   * Queues the writes of `pending` behind those under way, or joins them to the writes
   * already waiting their turn: while a write is under way, everything taken in meanwhile is
   * written together next (one request per partition, one snapshot), so the writes grow with
   * the load rather than their number.
   */
  private enqueue(state: VehicleActorState, pending: PendingEffects): Promise<void> {
    const waiting = this.waiting;
    if (waiting) {
      waiting.pending.merge(pending);
      waiting.state = state;
      return waiting.durable;
    }
    const generation = this.generation;
    const next: WaitingWrites = { pending, state, durable: Promise.resolve() };
    const started = () => {
      if (this.waiting === next) this.waiting = undefined;
    };
    next.durable = this.writes.then(
      () => {
        started();
        return this.flush(next.state, next.pending);
      },
      (err) => {
        started();
        throw err;
      },
    );
    this.waiting = next;
    this.writes = next.durable;
    next.durable.catch(() => this.forget(generation));
    return next.durable;
  }

  /**
   * Effects taken in during `generation` could not be made durable: the state in memory
   * accounts for them, so it is given up, and the next message meets the last snapshot. Those
   * taken in after them fail as well (they wait on them), but do not give up the state again:
   * it may be a newer one, restored meanwhile.
   */
  private forget(generation: number): void {
    if (generation !== this.generation) return;
    this.generation++;
    this.state = undefined;
    // Writes still under way (those before an alert publish that failed) are waited for,
    // whatever becomes of them, before the snapshot is read again and anything new is written.
    this.writes = this.writes.catch(() => {});
    this.waiting = undefined;
  }

  /** The state as restoring its snapshot gives it (a fresh one if that fails). */
  private restart(state: VehicleActorState): VehicleActorState {
    return this.restored(JSON.stringify(state));
  }

  /** One message through step(); its effects join `pending`. Undefined: a duplicate. */
  private step(
    state: VehicleActorState,
    message: VehicleMessage,
    pending: PendingEffects,
  ): VehicleActorState | undefined {
    const stepped = step(state, message, {
      deviceId: this.deviceId,
      detectors: this.deps.detectors,
      reorderWindowMs: this.deps.reorderWindowMs ?? 30_000,
    });
    if (stepped.duplicate) {
      this.deps.onDuplicate?.(this.deviceId, message.kind);
      return undefined;
    }
    pending.add(stepped.effects, stepped.changed);
    if (stepped.restart) this.deps.onRestart?.(this.deviceId, stepped.restart);
    return stepped.state;
  }

  /** Makes the effects other than alert changes durable, then saves the snapshot. */
  private async flush(state: VehicleActorState, pending: PendingEffects): Promise<void> {
    if (!pending.changed) return;
    const fx = this.deps.effects;
    this.cache.hold(pending.latest.values(), pending.lastSeenMs);
    const writeCaches = this.cache.due(Date.now(), this.deps.cacheIntervalMs ?? 10_000);
    await Promise.all([
      fx.writeSamples(pending.samples),
      fx.writeEvents(pending.events),
      pending.status ? fx.recordStatus(pending.status) : undefined,
      writeCaches ? this.writeCaches() : undefined,
    ]);
    // Strictly after the snapshot this state was restored from or last saved: the database keeps
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
    const taken = this.cache.take(Date.now());
    try {
      await Promise.all([
        this.deps.effects.writeLatest(taken.latest),
        taken.seenMs === undefined
          ? undefined
          : this.deps.effects.markSeen([{ deviceId: this.deviceId, lastSeenMs: taken.seenMs }]),
      ]);
    } catch (err) {
      // Held again for the next try (newer values that came meanwhile win).
      this.cache.putBack(taken);
      throw err;
    }
  }

  /** Passivated or stopping: the writes under way complete, and what was held back is written. */
  async stop(): Promise<void> {
    await this.writes.catch(() => {});
    if (!this.cache.empty) await this.writeCaches();
  }

  /** Restores the snapshot once the writes under way have settled (one may be saving it). */
  private async restoreAfterWrites(): Promise<VehicleActorState> {
    await this.writes.catch(() => {});
    return this.restore();
  }

  private async restore(): Promise<VehicleActorState> {
    const snapshot = await this.deps.effects.loadSnapshot(this.deviceId);
    if (!snapshot) return freshState(this.deps.detectors);
    this.savedMs = Math.max(this.savedMs, snapshot.savedMs);
    return this.restored(snapshot.data);
  }

  private restored(data: string): VehicleActorState {
    let restored: RestoredState;
    try {
      restored = restoreState(data, this.deps.detectors);
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
