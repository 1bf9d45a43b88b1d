import { InvalidMessageError } from './errors.js';

/**
 * A message's seq and seq_epoch: (device_id, seq_epoch, seq) names one message of a device
 * (see telemetry.proto). seq is a uint64 on the wire, but past 2^53 a JavaScript number no
 * longer tells neighbours apart, so the contract holds it to safe integers.
 */

/** For an encoder: `seq` is a non-negative safe integer. */
export function checkSeq(seq: number, field: string): void {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidMessageError(`${field} must be a non-negative safe integer, got ${seq}`);
  }
}

/** For a decoder: what came off the wire as uint64 is a safe integer. */
export function checkDecodedSeq(seq: number, field: string): void {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidMessageError(`${field} ${seq} is out of range`);
  }
}

/** uint32 on the wire: anything else would be truncated into another epoch. */
export function checkSeqEpoch(epoch: number | undefined): void {
  if (epoch === undefined) return;
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) {
    throw new InvalidMessageError(
      `seq_epoch must be an integer from 0 to 4294967295, got ${epoch}`,
    );
  }
}
