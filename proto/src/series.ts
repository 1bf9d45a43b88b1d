import { fleetline } from '../gen/fleetline.js';
import { catalogue, signalById } from './catalogue.js';
import { InvalidMessageError, LimitExceededError } from './errors.js';
import { isWireTime, WIRE_TIME_END_MS } from './time-range.js';

import SignalSeries = fleetline.telemetry.v1.SignalSeries;

/** One numeric sample of one signal. */
export interface Sample {
  /** Catalogue id. */
  readonly signalId: number;
  /** Unix epoch milliseconds. */
  readonly timeMs: number;
  readonly value: number;
}

/** A sample that names its vehicle: a row as the cloud stores it. */
export interface DeviceSample extends Sample {
  readonly deviceId: string;
}

const MAX_OFFSET_MS = 0xffff_ffff;

/**
 * The most samples one message may carry (a telemetry batch, or the window of one event).
 * The edge's batches hold at most ~9,400 (128 KiB at 14 bytes a sample), and a collision's
 * 5-second window of every signal at full rate fits a bus feeding 6,500 samples a second. A
 * well-compressed sample costs one byte on the wire, so without a bound one 256 KiB packet
 * could become a quarter of a million rows.
 */
export const MAX_SAMPLES_PER_MESSAGE = 32_768;
const pow10 = (d: number): number => 10 ** d;

/**
 * Column-codes samples by signal (see SignalSeries in telemetry.proto). Samples of a signal
 * are ordered by time; values of signals with a catalogue resolution are quantised to it.
 */
export function encodeSeries(
  samples: readonly Sample[],
  baseTimeMs: number,
  where = 'samples',
): fleetline.telemetry.v1.SignalSeries.$Properties[] {
  checkCount(samples.length, where);
  const bySignal = new Map<number, Sample[]>();
  for (const s of samples) {
    checkSample(s, baseTimeMs);
    const list = bySignal.get(s.signalId);
    if (list) list.push(s);
    else bySignal.set(s.signalId, [s]);
  }
  const out: fleetline.telemetry.v1.SignalSeries.$Properties[] = [];
  for (const [signalId, list] of bySignal) {
    list.sort((a, b) => a.timeMs - b.timeMs);
    out.push({ signalId, ...encodeTimes(list, baseTimeMs), ...encodeValues(signalId, list) });
  }
  return out;
}

function checkSample(s: Sample, baseTimeMs: number): void {
  if (!signalById(s.signalId)) {
    throw new InvalidMessageError(
      `sample signal id ${s.signalId} is not in the signal catalogue (${catalogue.length} signals)`,
    );
  }
  if (!Number.isFinite(s.value)) {
    throw new InvalidMessageError(`sample of signal ${s.signalId} has non-finite value ${s.value}`);
  }
  const offset = s.timeMs - baseTimeMs;
  if (!Number.isSafeInteger(s.timeMs) || offset < 0 || offset > MAX_OFFSET_MS) {
    throw new InvalidMessageError(
      `sample time ${s.timeMs} of signal ${s.signalId} must be an integer ms within 2^32 ms after the base time ${baseTimeMs}`,
    );
  }
  if (!isWireTime(s.timeMs)) {
    throw new InvalidMessageError(
      `sample time ${s.timeMs} of signal ${s.signalId} is outside the wire's time range (before ${WIRE_TIME_END_MS}, 2100-01-01T00:00:00Z)`,
    );
  }
}

function encodeTimes(
  list: readonly Sample[],
  baseTimeMs: number,
): { timeDeltaMs: number[]; intervalMs: number } {
  const first = (list[0] as Sample).timeMs - baseTimeMs;
  const deltas = [first];
  for (let i = 1; i < list.length; i++) {
    deltas.push((list[i] as Sample).timeMs - (list[i - 1] as Sample).timeMs);
  }
  const step = deltas[1];
  if (step !== undefined && step > 0 && deltas.every((d, i) => i === 0 || d === step)) {
    return { timeDeltaMs: [first], intervalMs: step };
  }
  return { timeDeltaMs: deltas, intervalMs: 0 };
}

function encodeValues(
  signalId: number,
  list: readonly Sample[],
): { valueDelta: number[] } | { value: number[] } {
  const decimals = signalById(signalId)?.decimals;
  if (decimals === undefined) return { value: list.map((s) => s.value) };
  const scale = pow10(decimals);
  const valueDelta: number[] = [];
  let previous = 0;
  for (const s of list) {
    const q = Math.round(s.value * scale);
    if (!Number.isSafeInteger(q)) {
      throw new InvalidMessageError(
        `value ${s.value} of signal ${signalId} does not fit the wire at ${decimals} decimals`,
      );
    }
    valueDelta.push(q - previous);
    previous = q;
  }
  return { valueDelta };
}

/** The earliest time among `samples`, undefined for none: a message's default base time. */
export function earliestTime(samples: readonly Sample[]): number | undefined {
  let min: number | undefined;
  for (const s of samples) if (min === undefined || s.timeMs < min) min = s.timeMs;
  return min;
}

/**
 * KNOWN SIGNALS ONLY. A series whose signal_id is not in this catalogue is refused (so the
 * message is dead-lettered where it is decoded, kept with the reason, and nothing of it is
 * stored). An id is only a number: the catalogue gives it its name, unit and resolution.
 * Without them the API cannot name the signal (every read asks by VSS name), so its rows could
 * never be read, and values sent as multiples of its resolution cannot even be decoded —
 * while one device could make rows for up to 2^32 signals. A cloud older than its agents
 * would see ids of signals added since; hence the deploy order for a catalogue that grows:
 * the cloud (gateways and processors) first, then the agents. What an older cloud refused
 * stays in the dead-letter topic with its reason.
 */

/**
 * Expands coded series back into samples, checking every rule of the contract. `baseTimeMs`
 * must be a wire time already; each sample time (the base plus its offsets) is checked too.
 * Given a `deviceId`, each sample names it: the rows a processor stores, made once rather
 * than copied from the samples.
 */
export function decodeSeries(
  series: readonly fleetline.telemetry.v1.SignalSeries.$Properties[],
  baseTimeMs: number,
  where: string,
): Sample[];
export function decodeSeries(
  series: readonly fleetline.telemetry.v1.SignalSeries.$Properties[],
  baseTimeMs: number,
  where: string,
  deviceId: string,
): DeviceSample[];
export function decodeSeries(
  series: readonly fleetline.telemetry.v1.SignalSeries.$Properties[],
  baseTimeMs: number,
  where: string,
  deviceId?: string,
): Sample[] {
  // Counted before a single sample is made: the refusal must not cost what it prevents.
  let count = 0;
  for (const s of series) count += (s.valueDelta?.length ?? 0) + (s.value?.length ?? 0);
  checkCount(count, where);
  const samples: (Sample | DeviceSample)[] = [];
  series.forEach((raw, index) => {
    const s = raw as SignalSeries;
    const at = `${where}.series[${index}]`;
    if (!s.signalId) throw new InvalidMessageError(`${at}: signal_id must be set`);
    // Only catalogue signals: without the catalogue's name nothing can ask for an id's samples,
    // and without its resolution nothing can read them (see KNOWN SIGNALS ONLY above).
    if (!signalById(s.signalId)) {
      throw new InvalidMessageError(
        `${at}: signal_id ${s.signalId} is not in the signal catalogue (${catalogue.length} signals); a cloud older than its agents refuses the signals they added: upgrade the cloud first`,
      );
    }
    const ints = s.valueDelta ?? [];
    const doubles = s.value ?? [];
    if (ints.length > 0 && doubles.length > 0) {
      throw new InvalidMessageError(`${at}: carries both value_delta and value`);
    }
    const n = ints.length + doubles.length;
    const times = s.timeDeltaMs ?? [];
    const interval = s.intervalMs ?? 0;
    const expectedTimes = interval > 0 ? Math.min(n, 1) : n;
    if (times.length !== expectedTimes) {
      throw new InvalidMessageError(
        `${at}: ${times.length} time offsets for ${n} values` +
          (interval > 0 ? ` (interval_ms ${interval} expects exactly one)` : ''),
      );
    }
    const decimals = signalById(s.signalId)?.decimals;
    if (ints.length > 0 && decimals === undefined) {
      throw new InvalidMessageError(
        `${at}: signal ${s.signalId} has no catalogue resolution, so its values must be sent as value, not value_delta`,
      );
    }
    const scale = pow10(decimals ?? 0);
    let t = baseTimeMs;
    let q = 0;
    for (let i = 0; i < n; i++) {
      t += interval > 0 && i > 0 ? interval : (times[i] as number);
      if (!isWireTime(t)) {
        throw new InvalidMessageError(
          `${at}: sample ${i} time ${t} is outside the wire's time range (before ${WIRE_TIME_END_MS}, 2100-01-01T00:00:00Z)`,
        );
      }
      let value: number;
      if (ints.length > 0) {
        q += ints[i] as number;
        // The encoder sends only safe integers; past 2^53 the sum is no longer exact.
        if (!Number.isSafeInteger(q)) {
          throw new InvalidMessageError(
            `${at}: value_delta ${i} takes the value past ±2^53 units of the signal's resolution`,
          );
        }
        // Division by an exact power of ten gives the double nearest to the decimal value.
        value = q / scale;
      } else {
        value = doubles[i] as number;
      }
      if (!Number.isFinite(value)) {
        throw new InvalidMessageError(`${at}: value ${i} is not finite`);
      }
      samples.push(
        deviceId === undefined
          ? { signalId: s.signalId, timeMs: t, value }
          : { deviceId, signalId: s.signalId, timeMs: t, value },
      );
    }
  });
  return samples;
}

function checkCount(count: number, where: string): void {
  if (count > MAX_SAMPLES_PER_MESSAGE) {
    throw new LimitExceededError(
      `${where} carries ${count} samples; at most ${MAX_SAMPLES_PER_MESSAGE} are allowed in one message`,
    );
  }
}
