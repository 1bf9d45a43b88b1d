import { addSeq, emptySeqWindow, handledThrough, type SeqWindow, seqStatus } from './seq-window.js';

/**
 * A device's message streams: one per run of its seq counter. A message is named by
 * (device, epoch, seq); the epoch is chosen by the device whenever its counter starts again
 * (reinstalled, state wiped), so seqs of a new epoch may repeat those of an old one without
 * being redeliveries. The actor keeps the handled seqs of the last few epochs, newest first:
 * a redelivery of a message of any of them is recognised, and a message of an epoch not known
 * starts a new stream — never dropped. An epoch forgotten and met again is taken as new too:
 * what it carries is then handled again, which repeats idempotent writes (rows keyed by device,
 * signal and time; alert ids derived from the finding) and loses nothing.
 *
 * Devices without epochs (epoch 0) — and devices reusing an epoch — get the same safety from
 * two rules, each of which can only mistake a redelivery for a new message, never the reverse:
 * - a seq far behind the window (more than SEQ_SPAN below the highest) is a counter that
 *   started again: nothing is redelivered from that far back (see seq-window.ts);
 * - a seq handled already, carried by a message newer than any handled under its topic, is a
 *   counter that started again: a redelivery is a copy of a message handled, so its time is
 *   at most the newest one handled. (Telemetry: the batch's base time; events: the event's.)
 * Either way the stream starts again from that message. A device without epochs whose counter
 * restarts with a clock behind its old messages, within SEQ_SPAN of its old seqs, still cannot
 * be told from redeliveries: its messages are dropped as duplicates until its seq or clock
 * passes the old ones — devices should send an epoch.
 *
 * Telemetry and events share the device's counter but travel on different topics, each in its
 * own order, so each topic keeps its own window. Plain data, snapshotted with the actor. Pure.
 */

export type SeqTopic = 'telemetry' | 'events';

export interface TopicSeqs {
  readonly seqs: SeqWindow;
  /** The newest message time handled on this topic; absent when not known (older snapshots). */
  readonly newestMs?: number;
}

export interface SeqStream {
  /** 0: a device that sends no epoch. */
  readonly epoch: number;
  readonly telemetry: TopicSeqs;
  readonly events: TopicSeqs;
}

/** Newest first: the first is the current stream, the one telemetry is put in order for. */
export type SeqStreams = readonly SeqStream[];

/** Epochs remembered per device (a device restarting more often than this loses nothing). */
export const MAX_STREAMS = 4;

export type RestartReason = 'new-epoch' | 'seq-behind' | 'seq-reused';

/** The identity of one message, and its time (see the rules above). */
export interface SeqMessage {
  readonly topic: SeqTopic;
  readonly epoch: number;
  readonly seq: number;
  readonly timeMs: number;
}

export type SeqVerdict =
  | { readonly kind: 'duplicate' }
  | {
      readonly kind: 'new';
      readonly streams: SeqStreams;
      /** Whether the message belongs to the current stream (streams[0]). */
      readonly current: boolean;
      /** Set when the message started a stream again after others had been seen. */
      readonly restart?: RestartReason;
    };

/** Whether a message was handled already; if not, the streams with it marked as handled. */
export function admitSeq(streams: SeqStreams, m: SeqMessage): SeqVerdict {
  const i = streams.findIndex((s) => s.epoch === m.epoch);
  const known = streams[i];
  if (!known) {
    return {
      kind: 'new',
      streams: [startStream(m), ...streams].slice(0, MAX_STREAMS),
      current: true,
      ...(streams.length > 0 ? { restart: 'new-epoch' as const } : {}),
    };
  }
  const topic = known[m.topic];
  const status = seqStatus(topic.seqs, m.seq);
  let restart: RestartReason | undefined;
  if (status === 'behind') restart = 'seq-behind';
  else if (status === 'seen') {
    if (topic.newestMs === undefined || m.timeMs <= topic.newestMs) return { kind: 'duplicate' };
    restart = 'seq-reused';
  }
  if (restart) {
    // The counter started again: the stream does too, and becomes the current one.
    const others = streams.filter((_, k) => k !== i);
    return { kind: 'new', streams: [startStream(m), ...others], current: true, restart };
  }
  const updated: SeqStream = {
    ...known,
    [m.topic]: {
      seqs: addSeq(topic.seqs, m.seq),
      newestMs: Math.max(topic.newestMs ?? m.timeMs, m.timeMs),
    },
  };
  return {
    kind: 'new',
    streams: streams.map((s, k) => (k === i ? updated : s)),
    current: i === 0,
  };
}

/**
 * The first seq at or after `from` that neither topic of the stream has handled (or given
 * up, behind its window): what telemetry held for a gap waits for. O(ranges).
 */
export function nextUnaccounted(stream: SeqStream, from: number): number {
  let next = from;
  for (;;) {
    const through = Math.max(
      handledThrough(stream.telemetry.seqs, next),
      handledThrough(stream.events.seqs, next),
    );
    // Each round moves past at least one whole range of either window, or ends. Seqs are
    // safe integers (the codec refuses others); past 2^53, + 1 would no longer move.
    if (through < next || !Number.isSafeInteger(through)) return Math.max(next, through);
    next = through + 1;
  }
}

function startStream(m: SeqMessage): SeqStream {
  const empty: TopicSeqs = { seqs: emptySeqWindow };
  return {
    epoch: m.epoch,
    telemetry: empty,
    events: empty,
    [m.topic]: { seqs: addSeq(emptySeqWindow, m.seq), newestMs: m.timeMs },
  };
}
