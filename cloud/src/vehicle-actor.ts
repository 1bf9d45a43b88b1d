import type { SampleRow, Store } from '@fleetline/platform';
import type { AlertChange, TelemetryBatch, VehicleEvent } from '@fleetline/proto';
import type { Actor } from './actors/actor-system.js';
import { alertChanges, type OpenAlerts } from './alerts/alert-changes.js';
import type { VehicleDetectorState, vehicleDetectors } from './detectors/vehicle.js';
import { PoisonMessageError } from './errors.js';
import { withRetry } from './retry.js';
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

/** What a vehicle actor receives, from `telemetry.v1` and `events.v1`. */
export type VehicleMessage = TelemetryMessage | EventMessage;

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
}

export interface VehicleActorDeps {
  store: Store;
  detectors: ReturnType<typeof vehicleDetectors>;
  /** Publishes alert changes (to `alerts.v1`); resolves once they are durable. */
  publishAlerts(changes: readonly AlertChange[]): Promise<void>;
  /** Reports a snapshot that could not be restored (the actor starts afresh). */
  onBadSnapshot?(deviceId: string, error: Error): void;
  /** Reports a message skipped as handled already (its seq was seen). */
  onDuplicate?(deviceId: string, kind: VehicleMessage['kind'], seq: number): void;
}

/**
 * One vehicle's actor. Per message, in this order: run the detectors, publish the alert
 * changes, store the samples (telemetry) and when the vehicle was last heard from, then
 * snapshot its state. Every effect is idempotent (alert ids derive from the finding, sample
 * rows from device, signal and time), so a message handled again after a crash — before its
 * snapshot — repeats the same effects, and one handled after its snapshot is recognised by its
 * seq and skipped (a set of seqs, not a high-water mark: a device resends an unacknowledged
 * batch after later ones got through when its gateway died): each sample stored once, each
 * alert raised once.
 */
export class VehicleActor implements Actor<VehicleMessage> {
  private state: VehicleActorState | undefined;

  constructor(
    readonly deviceId: string,
    private readonly deps: VehicleActorDeps,
  ) {}

  async receive(message: VehicleMessage): Promise<void> {
    const state = this.state ?? (await this.restore());
    this.state = state;
    const seq = message.kind === 'telemetry' ? message.batch.seq : message.event.seq;
    const window = message.kind === 'telemetry' ? state.telemetrySeqs : state.eventSeqs;
    if (seenSeq(window, seq)) {
      this.deps.onDuplicate?.(this.deviceId, message.kind, seq);
      return;
    }
    let detected: ReturnType<VehicleActorDeps['detectors']['detect']>;
    let alerts: ReturnType<typeof alertChanges>;
    try {
      detected = this.deps.detectors.detect(
        state.detectors,
        message.kind === 'telemetry'
          ? {
              kind: 'telemetry',
              samples: message.batch.samples,
              receivedAtMs: message.receivedAtMs,
            }
          : { kind: 'event', event: message.event, receivedAtMs: message.receivedAtMs },
      );
      alerts = alertChanges(this.deviceId, state.openAlerts, detected.findings);
    } catch (err) {
      // Supervision: the state this message met may be what broke; the next message finds
      // the actor restarted from its last snapshot.
      this.state = undefined;
      throw new PoisonMessageError(
        `vehicle ${this.deviceId} cannot handle ${message.kind} seq ${seq}: ${(err as Error).message}`,
        { cause: err, deviceId: this.deviceId, seq },
      );
    }
    if (alerts.changes.length > 0) {
      await withRetry(() => this.deps.publishAlerts(alerts.changes));
    }
    if (message.kind === 'telemetry') {
      const rows: SampleRow[] = message.batch.samples.map((s) => ({
        deviceId: this.deviceId,
        signalId: s.signalId,
        timeMs: s.timeMs,
        value: s.value,
      }));
      await withRetry(() => this.deps.store.writeSamples(rows));
    }
    await withRetry(() =>
      this.deps.store.markSeen([{ deviceId: this.deviceId, lastSeenMs: message.receivedAtMs }]),
    );
    const next: VehicleActorState = {
      version: 1,
      detectors: detected.state,
      openAlerts: alerts.open,
      telemetrySeqs:
        message.kind === 'telemetry' ? addSeq(state.telemetrySeqs, seq) : state.telemetrySeqs,
      eventSeqs: message.kind === 'event' ? addSeq(state.eventSeqs, seq) : state.eventSeqs,
    };
    await withRetry(() =>
      this.deps.store.saveSnapshot({
        actorId: this.deviceId,
        data: JSON.stringify(next),
        savedMs: Date.now(),
      }),
    );
    this.state = next;
  }

  private async restore(): Promise<VehicleActorState> {
    const fresh: VehicleActorState = {
      version: 1,
      detectors: this.deps.detectors.initial(),
      openAlerts: {},
      telemetrySeqs: emptySeqWindow,
      eventSeqs: emptySeqWindow,
    };
    const snapshot = await withRetry(() => this.deps.store.loadSnapshot(this.deviceId));
    if (!snapshot) return fresh;
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
