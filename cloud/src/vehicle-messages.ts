import type {
  AlertChange,
  DeviceSample,
  DeviceStatus,
  TelemetryBatch,
  VehicleEvent,
} from '@fleetline/proto';
import type { ServiceChange } from './detectors/detector.js';
import type { PoisonMessageError } from './errors.js';
import type { RestartReason } from './seq-streams.js';

/** What a vehicle actor receives — records of its topics, and clock ticks — and answers. */

export interface TelemetryMessage {
  kind: 'telemetry';
  /** Its samples name the device: they are the rows stored (decodeTelemetryRows). */
  batch: TelemetryBatch<DeviceSample>;
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
  input: ServiceChange;
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

/** The message's seq, for those that carry one (telemetry and events). */
export function seqOf(m: VehicleMessage): number | undefined {
  return m.kind === 'telemetry' ? m.batch.seq : m.kind === 'event' ? m.event.seq : undefined;
}

/** The message in a few words, for errors: `telemetry seq 12`, `tick`. */
export function describeMessage(m: VehicleMessage): string {
  const seq = seqOf(m);
  return seq === undefined ? m.kind : `${m.kind} seq ${seq}`;
}
