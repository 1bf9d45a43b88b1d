import type { OpenAlerts } from './alerts/alert-changes.js';
import type { DetectorStates } from './detectors/detector.js';
import type { DetectorSet } from './detectors/detector-set.js';
import { SnapshotError } from './errors.js';
import type { HeldBatch, ReorderState } from './reorder.js';
import type { SeqStream, SeqStreams, TopicSeqs } from './seq-streams.js';
import type { SeqWindow } from './seq-window.js';

/**
 * What a vehicle actor keeps between messages, and how a snapshot of it — written by this
 * code or by older code — becomes that state again. A deploy must carry every vehicle on from
 * its snapshot: a layout of older code is migrated, each detector's state is taken as it is,
 * a detector added since starts from its initial state, the state of one removed is dropped,
 * and any other part that is missing or not what it should be starts from its default. Only
 * what cannot be read at all, or a layout newer than this code, starts the actor afresh.
 *
 * Layouts: 1 kept one window of seqs per topic; 2 keeps them per seq epoch (seq-streams.ts).
 * Pure.
 */

/** What a vehicle actor keeps between messages, snapshotted to the telemetry database as JSON. */
export interface VehicleActorState {
  /** Snapshot layout version (see above). */
  readonly version: typeof SNAPSHOT_VERSION;
  /** Each detector's state, keyed by detector (detectors/detector-set.ts). */
  readonly detectors: DetectorStates;
  readonly openAlerts: OpenAlerts;
  /** The seqs handled, per epoch of the device's counter, newest first. */
  readonly streams: SeqStreams;
  /** The newest status report handled (status reports carry no seq; older ones are stale). */
  readonly statusTimeMs?: number;
  /** Telemetry of the current stream waiting for an earlier batch (see reorder.ts). */
  readonly reorder?: ReorderState;
}

export const SNAPSHOT_VERSION = 2;

type Detectors = Pick<DetectorSet, 'initial' | 'restore'>;

export function freshState(detectors: Detectors): VehicleActorState {
  return { version: SNAPSHOT_VERSION, detectors: detectors.initial(), openAlerts: {}, streams: [] };
}

export interface RestoredState {
  readonly state: VehicleActorState;
  /** The layout the snapshot was written in. */
  readonly fromVersion: number;
  /** Parts and detectors that had no usable state and start from their default. */
  readonly filled: readonly string[];
  /** Saved states of detectors that no longer exist. */
  readonly dropped: readonly string[];
}

/** Throws SnapshotError when the snapshot cannot be restored at all. */
export function restoreState(data: string, detectors: Detectors): RestoredState {
  let saved: unknown;
  try {
    saved = JSON.parse(data);
  } catch (err) {
    throw new SnapshotError(`snapshot is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isRecord(saved)) throw new SnapshotError('snapshot is not a JSON object');
  const version = saved.version;
  if (version !== 1 && version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `snapshot layout ${JSON.stringify(version)} is not one this code reads (1 to ${SNAPSHOT_VERSION})`,
    );
  }
  const filled: string[] = [];
  const part = <T>(name: string, value: unknown, valid: (v: unknown) => v is T, dflt: T): T => {
    if (valid(value)) return value;
    filled.push(name);
    return dflt;
  };
  const restored = detectors.restore(saved.detectors);
  filled.push(...restored.filled.map((d) => `detectors.${d}`));
  const streams =
    version === 1
      ? streamsOfLayout1(
          part('telemetrySeqs', saved.telemetrySeqs, isWindow, { ranges: [] }),
          part('eventSeqs', saved.eventSeqs, isWindow, { ranges: [] }),
        )
      : part('streams', saved.streams, isStreams, []);
  const reorder =
    saved.reorder === undefined ? undefined : part('reorder', saved.reorder, isReorder, undefined);
  const statusTimeMs =
    saved.statusTimeMs === undefined
      ? undefined
      : part('statusTimeMs', saved.statusTimeMs, isTime, undefined);
  const state: VehicleActorState = {
    version: SNAPSHOT_VERSION,
    detectors: restored.state,
    openAlerts: part('openAlerts', saved.openAlerts, isOpenAlerts, {}),
    streams,
    ...(statusTimeMs === undefined ? {} : { statusTimeMs }),
    // Held batches wait for gaps of the current stream; with no stream there is none.
    ...(reorder === undefined || streams.length === 0 ? {} : { reorder }),
  };
  return { state, fromVersion: version, filled, dropped: restored.dropped };
}

/** Layout 1 kept one window per topic: a device without epochs, as every device was then. */
function streamsOfLayout1(telemetry: SeqWindow, events: SeqWindow): SeqStreams {
  if (telemetry.ranges.length === 0 && events.ranges.length === 0) return [];
  // The newest times handled were not kept: unknown, so no seq is taken for a restart by them.
  return [{ epoch: 0, telemetry: { seqs: telemetry }, events: { seqs: events } }];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTime = (v: unknown): v is number => Number.isSafeInteger(v);

function isWindow(v: unknown): v is SeqWindow {
  if (!isRecord(v) || !Array.isArray(v.ranges)) return false;
  let last = -2;
  for (const r of v.ranges) {
    if (!Array.isArray(r) || r.length !== 2 || !isSeq(r[0]) || !isSeq(r[1])) return false;
    if (r[0] > r[1] || r[0] <= last + 1) return false;
    last = r[1];
  }
  return true;
}

function isTopicSeqs(v: unknown): v is TopicSeqs {
  return isRecord(v) && isWindow(v.seqs) && (v.newestMs === undefined || isTime(v.newestMs));
}

function isStreams(v: unknown): v is SeqStreams {
  return (
    Array.isArray(v) &&
    v.every(
      (s): s is SeqStream =>
        isRecord(s) &&
        Number.isInteger(s.epoch) &&
        (s.epoch as number) >= 0 &&
        isTopicSeqs(s.telemetry) &&
        isTopicSeqs(s.events),
    )
  );
}

function isReorder(v: unknown): v is ReorderState {
  return (
    isRecord(v) &&
    // One past the largest seq, 2^53 − 1, is still exact.
    (v.next === undefined || isSeq(v.next) || v.next === 2 ** 53) &&
    Array.isArray(v.held) &&
    v.held.every(
      (h): h is HeldBatch =>
        isRecord(h) && isSeq(h.seq) && Array.isArray(h.samples) && isTime(h.receivedAtMs),
    )
  );
}

function isOpenAlerts(v: unknown): v is OpenAlerts {
  return isRecord(v) && Object.values(v).every((id) => typeof id === 'string');
}
