import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  admitSeq,
  MAX_STREAMS,
  nextUnaccounted,
  type SeqMessage,
  type SeqStreams,
  type SeqVerdict,
} from '../src/seq-streams.js';
import { SEQ_SPAN, seqStatus } from '../src/seq-window.js';

/** Admits messages in order; each one's verdict as a word. */
function feed(messages: Partial<SeqMessage>[], from: SeqStreams = []) {
  let streams = from;
  const verdicts: string[] = [];
  for (const m of messages) {
    const v: SeqVerdict = admitSeq(streams, {
      topic: 'telemetry',
      epoch: 0,
      seq: 1,
      timeMs: 0,
      ...m,
    });
    if (v.kind === 'duplicate') verdicts.push('duplicate');
    else {
      streams = v.streams;
      verdicts.push(v.restart ?? (v.current ? 'new' : 'new, older epoch'));
    }
  }
  return { streams, verdicts };
}

describe('seq streams', () => {
  it('should start a device’s first stream without calling it a restart', () => {
    expect(feed([{ epoch: 7, seq: 1 }]).verdicts).toEqual(['new']);
    expect(feed([{ epoch: 0, seq: 900 }]).verdicts).toEqual(['new']);
  });

  it('should take a new epoch as a new stream, and know redeliveries of the old one', () => {
    const r = feed([
      { epoch: 7, seq: 1, timeMs: 1 },
      { epoch: 7, seq: 2, timeMs: 2 },
      { epoch: 9, seq: 1, timeMs: 10 },
      { epoch: 7, seq: 2, timeMs: 2 },
      { epoch: 7, seq: 3, timeMs: 3 },
      { epoch: 9, seq: 1, timeMs: 10 },
      { epoch: 9, seq: 2, timeMs: 11 },
    ]);
    expect(r.verdicts).toEqual([
      'new',
      'new',
      'new-epoch',
      'duplicate',
      'new, older epoch',
      'duplicate',
      'new',
    ]);
    expect(r.streams.map((s) => s.epoch)).toEqual([9, 7]);
  });

  it('should remember the last few epochs and take a forgotten one as new', () => {
    const epochs = Array.from({ length: MAX_STREAMS + 1 }, (_, i) => ({ epoch: i + 1, seq: 1 }));
    const r = feed([...epochs, { epoch: 1, seq: 1 }, { epoch: MAX_STREAMS + 1, seq: 1 }]);
    expect(r.verdicts.slice(-2)).toEqual(['new-epoch', 'duplicate']);
    expect(r.streams).toHaveLength(MAX_STREAMS);
  });

  it('should take a seq handled before, carried by a newer message, as a restart', () => {
    const r = feed([
      { seq: 1, timeMs: 100 },
      { seq: 2, timeMs: 200 },
      { seq: 2, timeMs: 200 }, // the same batch again
      { seq: 1, timeMs: 150 }, // not newer than what was handled: could be a copy
      { seq: 1, timeMs: 300 }, // newer than anything handled: not a copy
      { seq: 2, timeMs: 310 },
      { seq: 2, timeMs: 200 }, // the old batch 2, late: seen in the new stream, older
    ]);
    expect(r.verdicts).toEqual([
      'new',
      'new',
      'duplicate',
      'duplicate',
      'seq-reused',
      'new',
      'duplicate',
    ]);
  });

  it('should take a seq far behind as a restart, and start both topics again', () => {
    const r = feed([
      { seq: 50_000, timeMs: 100 },
      { topic: 'events', seq: 50_001, timeMs: 100 },
      { seq: 50_000 - SEQ_SPAN, timeMs: 50 },
      { topic: 'events', seq: 2, timeMs: 60 },
      { topic: 'events', seq: 2, timeMs: 60 },
    ]);
    expect(r.verdicts).toEqual(['new', 'new', 'seq-behind', 'new', 'duplicate']);
  });

  it('should not take a seq for a restart by its time when the newest time is not known', () => {
    // A stream migrated from a snapshot that did not keep times.
    const migrated: SeqStreams = [
      { epoch: 0, telemetry: { seqs: { ranges: [[1, 10]] } }, events: { seqs: { ranges: [] } } },
    ];
    expect(feed([{ seq: 5, timeMs: 10 ** 12 }], migrated).verdicts).toEqual(['duplicate']);
    expect(
      feed(
        [
          { seq: 11, timeMs: 5 },
          { seq: 5, timeMs: 6 },
        ],
        migrated,
      ).verdicts,
    ).toEqual(['new', 'seq-reused']);
  });

  it('should find the first seq neither topic has handled, a range at a time', () => {
    const { streams } = feed([
      { seq: 1 },
      { seq: 2 },
      { topic: 'events', seq: 3 },
      { seq: 4 },
      { topic: 'events', seq: 5 },
      { seq: 7 },
    ]);
    const stream = streams[0] as SeqStreams[number];
    expect([1, 3, 6, 7, 8].map((s) => nextUnaccounted(stream, s))).toEqual([6, 6, 6, 8, 8]);
  });
});

describe('seq streams under any seqs', () => {
  it('should drop only copies of messages it handled, and stay small, whatever comes', () => {
    const max = Number.MAX_SAFE_INTEGER;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
      let streams: SeqStreams = [];
      const handled = new Set<string>();
      const key = (m: SeqMessage) => `${m.topic} ${m.epoch} ${m.seq} ${m.timeMs}`;
      let last: SeqMessage | undefined;
      let clock = 0; // the device's clock only goes forward (see seq-streams.ts for when not)
      let epoch = pick([0, 1, 2 ** 32 - 1]);
      let seq = 1;
      for (let i = 0; i < 3000; i++) {
        const what = r();
        let m: SeqMessage;
        if (last && what < 0.2)
          m = last; // resent at once: must be known
        else {
          if (what < 0.25) seq = pick([0, 1, max, max - 1, 2 ** 40, Math.min(max, seq + 2 ** 40)]);
          else if (what < 0.3) seq = Math.max(0, seq - Math.floor(r() * 3 * SEQ_SPAN));
          else if (what < 0.33) epoch = pick([0, 7, 8, 9, 10, 11]);
          else seq = Math.min(max, seq + 1 + Math.floor(r() * 3));
          m = { topic: r() < 0.8 ? 'telemetry' : 'events', epoch, seq, timeMs: ++clock };
        }
        const v = admitSeq(streams, m);
        if (v.kind === 'duplicate') {
          expect(handled.has(key(m)), `seed ${seed}, message ${i}`).toBe(true);
        } else {
          expect(m === last, `seed ${seed}, message ${i}: a copy taken as new`).toBe(false);
          streams = v.streams;
          handled.add(key(m));
          last = m;
        }
        expect(streams.length).toBeLessThanOrEqual(MAX_STREAMS);
        for (const s of streams) {
          for (const t of [s.telemetry, s.events]) {
            expect(t.seqs.ranges.length).toBeLessThanOrEqual(SEQ_SPAN / 2 + 1);
          }
          const from = pick([0, seq, max]);
          const next = nextUnaccounted(s, from);
          expect(next).toBeGreaterThanOrEqual(from);
          expect(seqStatus(s.telemetry.seqs, next)).not.toBe('seen');
          expect(seqStatus(s.events.seqs, next)).not.toBe('seen');
        }
      }
    }
  });
});
