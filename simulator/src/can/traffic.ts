import {
  type CanFrame,
  DbcCodec,
  type DbcDatabase,
  type DbcMessage,
  formatCandumpLine,
  type MessageCodec,
} from '@fleetline/edge';
import type { SignalName } from '@fleetline/proto';
import { DriveModel } from '../model/drive.js';
import type { Scenario } from '../model/scenario.js';
import { catalogueValues } from '../model/signals.js';
import { type CanSignalMapping, demoCanMapping } from './mapping.js';

/**
 * The vehicle model on a CAN bus: every DBC message that carries a mapped signal is sent at
 * its cycle time (GenMsgCycleTime, else `defaultCycleMs`), encoded with the edge package's
 * DBC encoder from the model's current values. Simulated time only: the same seed and options
 * give the same frames, however (and however fast) they are read.
 */

export interface CanTrafficOptions {
  /** The DBC the frames follow (see loadDemoDbc for the shipped one). */
  readonly dbc: DbcDatabase;
  /** Catalogue signal → DBC message/signal. Default: the demo DBC's mapping. */
  readonly mapping?: readonly CanSignalMapping[];
  /** The drive: a scenario (its seed at least), or a model shared with other outputs. */
  readonly seed?: number;
  readonly scenario?: Omit<Scenario, 'seed' | 'startMs'>;
  /**
   * A model other outputs (GNSS, IMU) read too. It must be advanced in time order: take
   * every output's next item in order of its due time (see VehicleDevices).
   */
  readonly model?: DriveModel;
  /** Cycle of messages without a GenMsgCycleTime, ms. Default 100. */
  readonly defaultCycleMs?: number;
  /** Epoch ms of simulated time 0 (frame time stamps), for a model made here. Default 1764000000000. */
  readonly startTimeMs?: number;
}

export interface SimulatedCanFrame {
  /** Epoch ms: startTimeMs plus the simulated time the frame was sent at. */
  readonly timeMs: number;
  /** The DBC message name. */
  readonly message: string;
  readonly id: number;
  readonly extended: boolean;
  readonly data: Uint8Array;
  /** The model's values this frame carries, by catalogue signal, before encoding. */
  readonly values: Readonly<Partial<Record<SignalName, number>>>;
}

/** A message the traffic sends, with its cycle and the mapped signals it carries. */
export interface ScheduledCanMessage {
  readonly message: DbcMessage;
  readonly cycleMs: number;
  readonly signals: readonly CanSignalMapping[];
}

const DEFAULT_START_MS = 1_764_000_000_000;

export class CanTraffic {
  readonly model: DriveModel;
  readonly messages: readonly ScheduledCanMessage[];
  readonly startTimeMs: number;
  private readonly codecs: readonly MessageCodec[];
  private readonly due: number[];

  constructor(options: CanTrafficOptions) {
    const mapping = options.mapping ?? demoCanMapping;
    const defaultCycleMs = options.defaultCycleMs ?? 100;
    if (!(defaultCycleMs > 0)) throw new RangeError('defaultCycleMs must be positive');
    if (options.model) {
      this.model = options.model;
    } else {
      if (options.seed === undefined) throw new TypeError('CanTraffic needs a seed or a model');
      this.model = new DriveModel(
        {
          ...options.scenario,
          seed: options.seed,
          startMs: options.startTimeMs ?? DEFAULT_START_MS,
        },
        { samples: false },
      );
    }
    this.startTimeMs = this.model.startMs;
    const driven = catalogueValues(this.model.state);
    const codec = new DbcCodec(options.dbc);
    const byName = new Map(options.dbc.messages.map((m) => [m.name, m]));
    const scheduled = new Map<string, CanSignalMapping[]>();
    for (const m of mapping) {
      const message = byName.get(m.message);
      if (!message) throw new Error(`mapping ${m.signal}: no message ${m.message} in the DBC`);
      if (!message.signals.some((s) => s.name === m.dbcSignal)) {
        throw new Error(`mapping ${m.signal}: message ${m.message} has no signal ${m.dbcSignal}`);
      }
      if (driven[m.signal] === undefined) {
        throw new Error(`mapping ${m.signal}: the vehicle model does not drive this signal`);
      }
      const list = scheduled.get(m.message) ?? [];
      list.push(m);
      scheduled.set(m.message, list);
    }
    // In DBC order, so ties at one instant always go out in the same order.
    const messages = options.dbc.messages.filter((m) => scheduled.has(m.name));
    this.messages = messages.map((message) => ({
      message,
      cycleMs: message.cycleTimeMs ?? defaultCycleMs,
      signals: scheduled.get(message.name) ?? [],
    }));
    this.codecs = messages.map((m) => {
      const c = codec.lookup(m.id, m.extended);
      if (!c) throw new Error(`message ${m.name} has no codec`);
      return c;
    });
    this.due = messages.map(() => 0);
  }

  /** Simulated ms (since startTimeMs) at which the next frame is sent. */
  get nextDueMs(): number {
    return this.due.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...this.due);
  }

  /** The next frame on the bus. */
  next(): SimulatedCanFrame {
    if (this.due.length === 0) throw new Error('no DBC message carries a mapped signal');
    let i = 0;
    for (let j = 1; j < this.due.length; j++) if (this.due[j]! < this.due[i]!) i = j;
    const at = this.due[i]!;
    this.model.advance(at);
    const scheduled = this.messages[i]!;
    this.due[i] = at + scheduled.cycleMs;
    return this.encode(scheduled, this.codecs[i]!, at);
  }

  /** Every frame sent before `offsetMs` of simulated time that has not been taken yet. */
  framesUntil(offsetMs: number): SimulatedCanFrame[] {
    const out: SimulatedCanFrame[] = [];
    while (this.nextDueMs < offsetMs) out.push(this.next());
    return out;
  }

  private encode(
    scheduled: ScheduledCanMessage,
    codec: MessageCodec,
    atMs: number,
  ): SimulatedCanFrame {
    const input: Record<string, number> = {};
    const values: Partial<Record<SignalName, number>> = {};
    const current = catalogueValues(this.model.state);
    // Signals of the message that nothing maps are sent as 0 (within their range).
    for (const s of scheduled.message.signals) input[s.name] = inRange(0, s.minimum, s.maximum);
    for (const m of scheduled.signals) {
      const value = current[m.signal] ?? 0;
      const signal = scheduled.message.signals.find((s) => s.name === m.dbcSignal);
      input[m.dbcSignal] = inRange(value, signal?.minimum, signal?.maximum);
      values[m.signal] = value;
    }
    const data = codec.encode(input, { strict: false, clamp: true });
    return {
      timeMs: this.startTimeMs + atMs,
      message: scheduled.message.name,
      id: scheduled.message.id,
      extended: scheduled.message.extended,
      data,
      values,
    };
  }
}

function inRange(value: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && value < min) return min;
  if (max !== undefined && value > max) return max;
  return value;
}

/** A simulated frame in the edge package's CanFrame shape. */
export function toCanFrame(frame: SimulatedCanFrame): CanFrame {
  return {
    id: frame.id,
    extended: frame.extended,
    remote: false,
    fd: false,
    error: false,
    data: frame.data,
    dlc: frame.data.length,
    timeUs: Math.round(frame.timeMs * 1000),
  };
}

/** Frames as `candump -L` log lines: `(seconds.micros) can0 ID#DATA`. */
export function candumpLines(frames: Iterable<SimulatedCanFrame>, iface = 'can0'): string[] {
  const out: string[] = [];
  for (const f of frames) out.push(formatCandumpLine(toCanFrame(f), iface));
  return out;
}

/** The first `durationMs` of simulated traffic as a candump log (one line per frame). */
export function candumpLog(traffic: CanTraffic, durationMs: number, iface = 'can0'): string {
  const lines = candumpLines(traffic.framesUntil(durationMs), iface);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
