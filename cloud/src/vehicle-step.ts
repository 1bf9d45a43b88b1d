import type { DeviceStatusRow, EventRow, SampleRow } from '@fleetline/platform';
import type { AlertChange } from '@fleetline/proto';
import { alertChanges } from './alerts/alert-changes.js';
import type { DetectorInput } from './detectors/detector.js';
import type { DetectorSet } from './detectors/detector-set.js';
import {
  admit,
  emptyReorder,
  type HeldBatch,
  type ReorderState,
  release,
  releaseAll,
} from './reorder.js';
import { admitSeq, nextUnaccounted, type SeqMessage, type SeqStreams } from './seq-streams.js';
import type {
  EventMessage,
  SeqRestart,
  StatusMessage,
  TelemetryMessage,
  VehicleMessage,
} from './vehicle-messages.js';
import type { VehicleActorState } from './vehicle-snapshot.js';

/**
 * One message through a vehicle's state: the actor's behaviour without I/O. A message is
 * first placed in the device's streams — a seq handled already makes it a duplicate, a
 * counter that started again a restart; telemetry is put back in seq order (reorder.ts) — and
 * what it gives the detectors goes through them; their findings become alert changes. The
 * result is the next state and the effects the message leaves to be made durable (rows to
 * store, alert changes to publish). A message that makes the detectors throw throws here and
 * leaves nothing behind. Pure.
 */

export interface StepContext {
  readonly deviceId: string;
  readonly detectors: DetectorSet;
  /** How long telemetry waits for an earlier batch before detection goes on. */
  readonly reorderWindowMs: number;
}

/** What one handled message leaves to be made durable. */
export interface MessageEffects {
  readonly alerts: readonly AlertChange[];
  readonly samples: readonly SampleRow[];
  readonly events: readonly EventRow[];
  readonly status?: DeviceStatusRow;
  /** When the vehicle was heard from (gateway time), when the message says it was. */
  readonly heardAtMs?: number;
}

export type Stepped =
  /** Handled already: nothing of it is stored again. */
  | { readonly duplicate: true }
  | {
      readonly duplicate: false;
      readonly state: VehicleActorState;
      readonly effects: MessageEffects;
      /**
       * Whether the state needs saving. A clock tick usually changes nothing; saving every
       * live vehicle's snapshot each minute for nothing would put a burst of writes in front
       * of the records behind it.
       */
      readonly changed: boolean;
      /** The device's stream started again with this message. */
      readonly restart?: SeqRestart;
    };

export function step(state: VehicleActorState, message: VehicleMessage, ctx: StepContext): Stepped {
  const placed = place(state, message, ctx.reorderWindowMs);
  if (!placed) return { duplicate: true };
  const detected = detect(state, placed.inputs, ctx);
  const changed =
    message.kind !== 'tick' ||
    detected.alerts.length > 0 ||
    placed.inputs.length > 1 ||
    JSON.stringify(detected.detectors) !== JSON.stringify(state.detectors);
  const { streams, statusTimeMs, reorder } = placed;
  return {
    duplicate: false,
    state: {
      version: state.version,
      detectors: detected.detectors,
      openAlerts: detected.openAlerts,
      streams,
      ...(statusTimeMs === undefined ? {} : { statusTimeMs }),
      ...(reorder.next === undefined ? {} : { reorder }),
    },
    effects: effectsOf(message, ctx.deviceId, detected.alerts),
    changed,
    ...(placed.restart ? { restart: placed.restart } : {}),
  };
}

/** Where a message stands in the device's streams, and what the detectors get of it. */
interface Placed {
  streams: SeqStreams;
  reorder: ReorderState;
  statusTimeMs: number | undefined;
  /** Detector inputs, in order. */
  inputs: DetectorInput[];
  restart?: SeqRestart;
}

/** Undefined: a duplicate. */
function place(
  state: VehicleActorState,
  message: VehicleMessage,
  windowMs: number,
): Placed | undefined {
  const p: Placed = {
    streams: state.streams,
    reorder: state.reorder ?? emptyReorder,
    statusTimeMs: state.statusTimeMs,
    inputs: [],
  };
  switch (message.kind) {
    case 'telemetry':
      return placeTelemetry(p, message, windowMs) ? p : undefined;
    case 'event':
      return placeEvent(p, message, windowMs) ? p : undefined;
    case 'status':
      return placeStatus(p, message) ? p : undefined;
    case 'tick': {
      // Telemetry that waited too long for a gap goes on before the clock moves.
      ready(p, release(p.reorder, accounted(p), message.nowMs, windowMs));
      p.inputs.push({ kind: 'tick', nowMs: message.nowMs });
      return p;
    }
    case 'service':
      p.inputs.push(message.input);
      return p;
  }
}

function placeTelemetry(p: Placed, message: TelemetryMessage, windowMs: number): boolean {
  const { batch } = message;
  const stream = admitted(p, {
    topic: 'telemetry',
    epoch: batch.seqEpoch ?? 0,
    seq: batch.seq,
    timeMs: batch.baseTimeMs,
  });
  if (!stream) return false;
  const held: HeldBatch = {
    seq: batch.seq,
    samples: batch.samples,
    receivedAtMs: message.receivedAtMs,
  };
  if (stream.current) ready(p, admit(p.reorder, held, accounted(p), windowMs));
  // A late batch of an older epoch: that stream is not put in order any more.
  else detectNow(p, [held]);
  return true;
}

function placeEvent(p: Placed, message: EventMessage, windowMs: number): boolean {
  const { event } = message;
  const stream = admitted(p, {
    topic: 'events',
    epoch: event.seqEpoch ?? 0,
    seq: event.seq,
    timeMs: event.timeMs,
  });
  if (!stream) return false;
  // Events are never held (a collision must not wait); one may close a telemetry gap.
  p.inputs.push({ kind: 'event', event, receivedAtMs: message.receivedAtMs });
  ready(p, release(p.reorder, accounted(p), message.receivedAtMs, windowMs));
  return true;
}

function placeStatus(p: Placed, message: StatusMessage): boolean {
  const { status } = message;
  if (p.statusTimeMs !== undefined && status.timeMs <= p.statusTimeMs) return false;
  p.statusTimeMs = status.timeMs;
  // A device saying it is online was heard from; "offline" is its last will, sent by the
  // broker when the connection dropped, which says nothing new about the vehicle.
  if (status.state === 'online') p.inputs.push({ kind: 'seen', timeMs: message.receivedAtMs });
  return true;
}

/** Marks the message's seq handled; undefined: handled already. */
function admitted(p: Placed, m: SeqMessage): { current: boolean } | undefined {
  const verdict = admitSeq(p.streams, m);
  if (verdict.kind === 'duplicate') return undefined;
  p.streams = verdict.streams;
  if (verdict.restart) {
    // The device's counter started again: the old stream's gaps will not be filled, so what
    // waited for them goes on now, before the new stream's first message.
    detectNow(p, releaseAll(p.reorder));
    p.reorder = emptyReorder;
    p.restart = { reason: verdict.restart, epoch: m.epoch, seq: m.seq };
  }
  return { current: verdict.current };
}

/** Telemetry is put in order within the current stream (the newest epoch). */
function accounted(p: Placed) {
  return (from: number) => {
    const current = p.streams[0];
    return current ? nextUnaccounted(current, from) : from;
  };
}

function ready(p: Placed, r: { state: ReorderState; ready: readonly HeldBatch[] }): void {
  p.reorder = r.state;
  detectNow(p, r.ready);
}

function detectNow(p: Placed, batches: readonly HeldBatch[]): void {
  for (const b of batches) {
    p.inputs.push({ kind: 'telemetry', samples: b.samples, receivedAtMs: b.receivedAtMs });
  }
}

/** The inputs through the detectors; their findings as alert changes. */
function detect(state: VehicleActorState, inputs: readonly DetectorInput[], ctx: StepContext) {
  let detectors = state.detectors;
  let openAlerts = state.openAlerts;
  const alerts: AlertChange[] = [];
  for (const input of inputs) {
    const detected = ctx.detectors.detect(detectors, input);
    const changes = alertChanges(ctx.deviceId, openAlerts, detected.findings);
    detectors = detected.state;
    openAlerts = changes.open;
    alerts.push(...changes.changes);
  }
  return { detectors, openAlerts, alerts };
}

/** The rows a handled message stores, and when it says the vehicle was heard from. */
function effectsOf(
  message: VehicleMessage,
  deviceId: string,
  alerts: readonly AlertChange[],
): MessageEffects {
  const none = { alerts, samples: [], events: [] };
  switch (message.kind) {
    case 'telemetry':
      return {
        ...none,
        samples: message.batch.samples,
        heardAtMs: message.receivedAtMs,
      };
    case 'event': {
      const { event } = message;
      const { kind, ...detail } = event.payload;
      return {
        ...none,
        events: [
          {
            deviceId,
            seq: event.seq,
            timeMs: event.timeMs,
            kind,
            detail: JSON.stringify(Object.values(detail)[0] ?? {}),
          },
        ],
        heardAtMs: message.receivedAtMs,
      };
    }
    case 'status': {
      const { status } = message;
      return {
        ...none,
        status: { ...status, deviceId },
        ...(status.state === 'online' ? { heardAtMs: message.receivedAtMs } : {}),
      };
    }
    default:
      return none;
  }
}
