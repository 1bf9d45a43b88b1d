import { fleetline } from '../../gen/fleetline.js';
import { assertDeviceId, checkDecodedDeviceId } from '../device-id.js';
import { checkDecodedSeq, checkSeq, checkSeqEpoch } from '../seq.js';
import {
  type DeviceSample,
  decodeSeries,
  earliestTime,
  encodeSeries,
  type Sample,
} from '../series.js';
import { checkWireTime } from '../time-range.js';
import { decodeWith } from './protobuf.js';

import v1 = fleetline.telemetry.v1;

/**
 * TelemetryBatch (`telemetry.v1`): a device's samples since its last batch, column-coded by
 * signal (series.ts). The decoder never returns a batch that breaks the contract: it throws
 * MalformedMessageError (not protobuf) or InvalidMessageError (a rule broken), naming what is
 * wrong, so a caller can reject one message and carry on.
 */

export interface TelemetryBatchInput {
  deviceId: string;
  seq: number;
  /** The run of the device's seq counter (see seq_epoch in the .proto); 0 or absent: none. */
  seqEpoch?: number;
  /** Defaults to the earliest sample time (or now, for an empty batch). */
  baseTimeMs?: number;
  samples: readonly Sample[];
}

export interface TelemetryBatch<S extends Sample = Sample> {
  deviceId: string;
  seq: number;
  /** Present when the device sends one (non-zero). */
  seqEpoch?: number;
  baseTimeMs: number;
  samples: S[];
}

export function encodeTelemetryBatch(input: TelemetryBatchInput): Uint8Array {
  assertDeviceId(input.deviceId);
  checkSeq(input.seq, 'seq');
  checkSeqEpoch(input.seqEpoch);
  const baseTimeMs = input.baseTimeMs ?? earliestTime(input.samples) ?? Date.now();
  checkWireTime(baseTimeMs, 'base_time_ms');
  return v1.TelemetryBatch.encode({
    deviceId: input.deviceId,
    seq: input.seq,
    ...(input.seqEpoch ? { seqEpoch: input.seqEpoch } : {}),
    baseTimeMs,
    series: encodeSeries(input.samples, baseTimeMs, 'TelemetryBatch'),
  }).finish();
}

export function decodeTelemetryBatch(bytes: Uint8Array): TelemetryBatch {
  const m = decodeChecked(bytes);
  return { ...headerOf(m), samples: decodeSeries(m.series, m.baseTimeMs, WHERE) };
}

/**
 * As decodeTelemetryBatch, each sample naming the batch's device: the rows the processor
 * stores, made as they are decoded instead of copied after.
 */
export function decodeTelemetryRows(bytes: Uint8Array): TelemetryBatch<DeviceSample> {
  const m = decodeChecked(bytes);
  return { ...headerOf(m), samples: decodeSeries(m.series, m.baseTimeMs, WHERE, m.deviceId) };
}

const WHERE = 'TelemetryBatch';

function decodeChecked(bytes: Uint8Array): v1.TelemetryBatch {
  const m = decodeWith(v1.TelemetryBatch, bytes, WHERE);
  checkDecodedDeviceId(m.deviceId, WHERE);
  checkDecodedSeq(m.seq, `${WHERE}.seq`);
  checkWireTime(m.baseTimeMs, `${WHERE}.base_time_ms`);
  return m;
}

const headerOf = (m: v1.TelemetryBatch) => ({
  deviceId: m.deviceId,
  seq: m.seq,
  ...(m.seqEpoch ? { seqEpoch: m.seqEpoch } : {}),
  baseTimeMs: m.baseTimeMs,
});
