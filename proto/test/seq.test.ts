import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from '../src/index.js';
import { checkDecodedSeq, checkSeq, checkSeqEpoch } from '../src/seq.js';

describe('checkSeq', () => {
  it('should take 0 up to 2^53 − 1 and refuse the rest naming the field', () => {
    for (const seq of [0, 1, Number.MAX_SAFE_INTEGER])
      expect(() => checkSeq(seq, 'seq')).not.toThrow();
    for (const seq of [-1, 1.5, 2 ** 53, Number.NaN]) {
      expect(() => checkSeq(seq, 'trigger_capture.related_seq')).toThrow(
        `trigger_capture.related_seq must be a non-negative safe integer, got ${seq}`,
      );
    }
  });
});

describe('checkDecodedSeq', () => {
  it('should refuse a uint64 past 2^53 − 1 as out of range, naming the field', () => {
    expect(() => checkDecodedSeq(Number.MAX_SAFE_INTEGER, 'Event.seq')).not.toThrow();
    expect(() => checkDecodedSeq(2 ** 64, 'Event.seq')).toThrow(InvalidMessageError);
    expect(() => checkDecodedSeq(2 ** 53, 'Event.seq')).toThrow(
      `Event.seq ${2 ** 53} is out of range`,
    );
  });
});

describe('checkSeqEpoch', () => {
  it('should take absent and every uint32, and refuse anything the wire would truncate', () => {
    for (const epoch of [undefined, 0, 1, 0xffff_ffff]) {
      expect(() => checkSeqEpoch(epoch)).not.toThrow();
    }
    for (const epoch of [-1, 2 ** 32, 0.5, Number.NaN]) {
      expect(() => checkSeqEpoch(epoch)).toThrow(
        `seq_epoch must be an integer from 0 to 4294967295, got ${epoch}`,
      );
    }
  });
});
