import {
  type EventPayload,
  encodeEvent,
  encodeTelemetryBatch,
  MAX_SAMPLES_PER_MESSAGE,
  MAX_TROUBLE_CODES,
  type Sample,
} from '@fleetline/proto';

/**
 * Making what the agent records fit the wire, losing nothing. The contract bounds one message
 * (MAX_SAMPLES_PER_MESSAGE samples, MAX_TROUBLE_CODES codes) and the agent bounds what it
 * publishes at once (`maxBytes`, at most 128 KiB: half the gateway's default packet limit).
 * What is recorded is not bounded so: a trigger window of ten minutes at 100 Hz, or a minute
 * before a crash, holds hundreds of thousands of samples. Pure: the caller spools the parts.
 *
 * - Telemetry: samples into batches, each with a seq of its own.
 * - A trigger capture: its window in time order, cut into captures that repeat the trigger's
 *   name, triggered_at_ms and related_seq, earliest part first.
 * - A collision: the event keeps the part of its pre-crash window nearest the impact (it goes
 *   out first and fast); the earlier part follows at once as captures named "collision" whose
 *   related_seq is the collision's seq — as the post-crash window already does.
 *
 * Reassembly is by union: a trigger's window is the windows of every capture with its
 * (name, triggered_at_ms); a collision's is its own window and those of the captures naming
 * its seq. No part counts travel: the cloud keeps every event as a row of its own (device,
 * time, seq), so a window is stored whole however it was cut; the parts of one window are
 * spooled together, so their seqs rise in time order (a consumer that wants the window in
 * one piece gathers them by that key).
 *
 * Trouble codes are not cut into several events: each event is the vehicle's whole list (a
 * code missing from the next one clears its alert), so past MAX_TROUBLE_CODES the most
 * important are sent and the number left out is reported (see capTroubleCodes).
 */

/** Sample times in a batch are uint32 ms offsets from its base time. */
const MAX_SPAN_MS = 0xffff_ffff;

/**
 * Sizes are measured with the largest seq and epoch (varints, at their longest), so a part
 * fits whatever seq the spool gives it.
 */
const WORST = { seq: Number.MAX_SAFE_INTEGER, seqEpoch: 0xffff_ffff };

/**
 * Splits telemetry samples into batches the wire carries: each spans less than 2^32 ms
 * (inputs on different clocks — a GNSS log's dates, a host clock not yet set — can be years
 * apart), holds at most MAX_SAMPLES_PER_MESSAGE samples and encodes within maxBytes. Batches
 * are in time order; every sample is in exactly one.
 */
export function fitTelemetry(
  deviceId: string,
  samples: readonly Sample[],
  maxBytes: number,
): Sample[][] {
  const fits = (part: readonly Sample[]) =>
    encodeTelemetryBatch({ deviceId, ...WORST, samples: part }).length <= maxBytes;
  const out: Sample[][] = [];
  const sorted = byTime(samples);
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const first = sorted[start] as Sample;
    if (i < sorted.length && (sorted[i] as Sample).timeMs - first.timeMs <= MAX_SPAN_MS) continue;
    out.push(...cut(sorted.slice(start, i), fits));
    start = i;
  }
  return out;
}

/** An event as the messages it goes out as. */
export interface FittedEvent {
  /** The first message: the event itself (for a window, its first part). */
  readonly first: EventPayload;
  /** The messages that follow the first, once it has its seq. */
  rest(firstSeq: number): EventPayload[];
  /** Trouble codes reported but not sent (see capTroubleCodes). */
  readonly leftOut: number;
}

export function fitEvent(
  deviceId: string,
  payload: EventPayload,
  timeMs: number,
  maxBytes: number,
): FittedEvent {
  const fits = (p: EventPayload) =>
    encodeEvent({ deviceId, ...WORST, timeMs, payload: p }).length <= maxBytes;
  if (payload.kind === 'troubleCodes') {
    const { codes, leftOut } = capTroubleCodes(payload.codes);
    return { first: { kind: 'troubleCodes', codes }, rest: () => [], leftOut };
  }
  if (payload.kind === 'triggerCapture') {
    const c = payload.capture;
    const part = (window: Sample[]): EventPayload => ({
      kind: 'triggerCapture',
      capture: { ...c, window },
    });
    const [first = [], ...later] = cut(byTime(c.window), (w) => fits(part(w)));
    return { first: part(first), rest: () => later.map(part), leftOut: 0 };
  }
  const c = payload.collision;
  const own = (window: Sample[]): EventPayload => ({
    kind: 'collision',
    collision: { ...c, window },
  });
  const earlier = (window: Sample[], relatedSeq: number): EventPayload => ({
    kind: 'triggerCapture',
    capture: { name: 'collision', triggeredAtMs: timeMs, relatedSeq, window },
  });
  // A part must fit as either message: which one it becomes depends on where it falls.
  const runs = cut(byTime(c.window), (w) => fits(own(w)) && fits(earlier(w, WORST.seq)));
  const nearest = runs.pop() ?? [];
  return {
    first: own(nearest),
    rest: (seq) => runs.map((w) => earlier(w, seq)),
    leftOut: 0,
  };
}

/**
 * Which part of a vehicle's list of trouble codes goes on the wire. The list is sent whole
 * while it fits the contract (MAX_TROUBLE_CODES); past that, the codes are kept in order of
 * their system — powertrain (P: the emission-related faults OBD-II service 03 exists for),
 * then network (U: modules not talking, which hides their own codes), chassis (C), body (B)
 * — and in the order reported within a system. Service 03 allows 255 codes per ECU and eight
 * ECUs answer on CAN (ISO 15765-4), so more than 128 can be reported, though no vehicle
 * stores that many real faults: the cut is a guard, and what it leaves out is counted.
 */
export function capTroubleCodes(codes: readonly string[]): { codes: string[]; leftOut: number } {
  const unique = [...new Set(codes)];
  if (unique.length <= MAX_TROUBLE_CODES) return { codes: unique, leftOut: 0 };
  const rank = (code: string) => {
    const i = 'PUCB'.indexOf(code[0] ?? '');
    return i < 0 ? 4 : i;
  };
  const kept = new Set(
    unique
      .map((code, i) => ({ code, i }))
      .sort((a, b) => rank(a.code) - rank(b.code) || a.i - b.i)
      .slice(0, MAX_TROUBLE_CODES)
      .map((x) => x.code),
  );
  return {
    codes: unique.filter((code) => kept.has(code)),
    leftOut: unique.length - MAX_TROUBLE_CODES,
  };
}

/** A copy in time order (stable: samples of one time keep their order). */
function byTime(samples: readonly Sample[]): Sample[] {
  return [...samples].sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * Cuts time-ordered samples into consecutive runs that each `fit`: first into equal runs of
 * at most MAX_SAMPLES_PER_MESSAGE, then each run that does not fit in halves, until it does.
 * Halving keeps runs of one time range together (a regular series stays regular, and cheap
 * on the wire). A single sample is taken as it is: no sample encodes to anything near the
 * smallest byte bound (1 KiB). No samples: one empty run.
 */
function cut(sorted: readonly Sample[], fits: (run: Sample[]) => boolean): Sample[][] {
  if (sorted.length === 0) return [[]];
  const runs = Math.ceil(sorted.length / MAX_SAMPLES_PER_MESSAGE);
  const size = Math.ceil(sorted.length / runs);
  const out: Sample[][] = [];
  const halve = (run: Sample[]): void => {
    if (run.length <= 1 || fits(run)) {
      out.push(run);
      return;
    }
    const half = Math.ceil(run.length / 2);
    halve(run.slice(0, half));
    halve(run.slice(half));
  };
  for (let i = 0; i < sorted.length; i += size) halve(sorted.slice(i, i + size));
  return out;
}
