import { EventEmitter } from 'node:events';
import type { CanFrame } from '../can/frame.js';
import type { CanSource } from '../can/source.js';
import { ObdNegativeResponseError, ObdNoResponseError } from '../errors.js';
import type { Reading } from '../signals/reading.js';
import { parseStoredDtcs } from './dtc.js';
import { flowControl, IsoTpReceiver, singleFrame } from './isotp.js';
import { dataBytesOf, type PidDefinition, pids, pidsByName, supportedFromBitmask } from './pids.js';

/**
 * OBD-II polling over CAN (ISO 15765-4, 11-bit ids): functional requests to 0x7DF, answers
 * from 0x7E8–0x7EF (ECU n answers on 0x7E8+n and takes physical requests on 0x7E0+n).
 *
 * 1. Discovery: service 01 PIDs 0x00, 0x20, … tell which PIDs each ECU supports.
 * 2. Each cycle, the wanted PIDs that some ECU supports are requested at most six at a time
 *    (the limit of a service 01 request). An ECU that answers a multi-PID request with less
 *    than it supports, or refuses it, is polled from then on with single-PID physical requests
 *    (the per-ECU fallback some older ECUs need).
 * 3. Every dtcIntervalMs, service 03 collects the stored trouble codes of every ECU.
 * Responses may span several frames; flow control is sent to the answering ECU.
 */

export interface ObdPollerOptions {
  /** PID names (see pids.ts) to poll. */
  pids: readonly string[];
  intervalMs?: number;
  /** How long to collect answers to one request (ISO 15765-4 P2CAN is 50 ms). */
  responseTimeoutMs?: number;
  /** 0: no trouble-code polling. */
  dtcIntervalMs?: number;
}

export interface ObdPollerEvents {
  reading: [Reading];
  troubleCodes: [codes: string[], timeMs: number];
  error: [Error];
}

const FUNCTIONAL = 0x7df;
/**
 * How long a multi-frame answer under way may pause between frames before it is given up
 * (ISO 15765-4's N_Cr bound for OBD).
 */
const CONSECUTIVE_FRAME_TIMEOUT_MS = 150;
const FIRST_RESPONSE = 0x7e8;
const LAST_RESPONSE = 0x7ef;

interface Answer {
  ecu: number;
  payload: Uint8Array;
  timeUs: number;
}

export class ObdPoller extends EventEmitter<ObdPollerEvents> {
  private readonly receivers = new Map<number, IsoTpReceiver>();
  /** When each responder's last frame came (Date.now()). */
  private readonly lastFrameMs = new Map<number, number>();
  private collecting: { target: number; answers: Answer[]; done?: () => void } | undefined;
  private supported = new Map<number, Set<number>>();
  private readonly singlePid = new Set<number>();
  private readonly wanted: PidDefinition[];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastDtcMs = Number.NEGATIVE_INFINITY;
  private lastCodes: string | undefined;
  private readonly onFrame = (f: CanFrame) => this.receive(f);
  private cycle: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: CanSource,
    private readonly options: ObdPollerOptions,
  ) {
    super();
    this.wanted = options.pids.map((name) => {
      const def = pidsByName.get(name);
      if (!def)
        throw new Error(
          `unknown OBD-II PID name "${name}" (known: ${[...pidsByName.keys()].join(', ')})`,
        );
      return def;
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.source.on('frame', this.onFrame);
    const loop = async () => {
      if (!this.running) return;
      this.cycle = this.runCycle().catch((err: Error) => {
        this.emit('error', err);
      });
      await this.cycle;
      if (this.running) this.timer = setTimeout(loop, this.options.intervalMs ?? 1000);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.collecting?.done?.();
    await this.cycle;
    this.source.off('frame', this.onFrame);
  }

  /** Which PIDs each ECU (by response id) said it supports. */
  get ecus(): ReadonlyMap<number, ReadonlySet<number>> {
    return this.supported;
  }

  private async runCycle(): Promise<void> {
    if (this.supported.size === 0) await this.discover();
    if (this.supported.size === 0)
      throw new ObdNoResponseError('no ECU answered OBD-II service 01 PID 0x00');
    await this.pollValues();
    const dtcEvery = this.options.dtcIntervalMs ?? 60_000;
    if (dtcEvery > 0 && Date.now() - this.lastDtcMs >= dtcEvery) {
      this.lastDtcMs = Date.now();
      await this.pollTroubleCodes();
    }
  }

  private async discover(): Promise<void> {
    const supported = new Map<number, Set<number>>();
    let bases = [0x00];
    while (bases.length > 0 && this.running) {
      const base = bases[0] as number;
      bases = [];
      const answers = await this.request(FUNCTIONAL, [0x01, base]);
      for (const a of answers) {
        if (a.payload[0] !== 0x41 || a.payload[1] !== base || a.payload.length < 6) continue;
        const set = supported.get(a.ecu) ?? new Set<number>();
        for (const pid of supportedFromBitmask(base, a.payload.slice(2, 6))) set.add(pid);
        supported.set(a.ecu, set);
        if (set.has(base + 0x20) && base + 0x20 <= 0xe0) bases = [base + 0x20];
      }
    }
    this.supported = supported;
  }

  private async pollValues(): Promise<void> {
    const multi = [...this.supported.keys()].filter((e) => !this.singlePid.has(e)).sort();
    const coveredByMulti = this.wanted.filter((d) =>
      multi.some((e) => this.supported.get(e)?.has(d.pid)),
    );
    const emitted = new Set<number>();
    for (let i = 0; i < coveredByMulti.length; i += 6) {
      const group = coveredByMulti.slice(i, i + 6);
      const answers = await this.request(FUNCTIONAL, [0x01, ...group.map((d) => d.pid)]);
      for (const ecu of multi) {
        const expected = group.filter((d) => this.supported.get(ecu)?.has(d.pid));
        if (expected.length === 0) continue;
        const answer = answers.find((a) => a.ecu === ecu);
        const values = answer ? this.parseService01(answer) : [];
        for (const v of values)
          this.emitValue(v.def, v.data, answer?.timeUs ?? Date.now() * 1000, emitted);
        if (expected.length > 1 && values.length < expected.length) {
          // This ECU does not take several PIDs at once: poll it one PID at a time.
          this.singlePid.add(ecu);
        }
      }
    }
    for (const ecu of [...this.singlePid].sort()) {
      for (const def of this.wanted) {
        if (emitted.has(def.pid) || !this.supported.get(ecu)?.has(def.pid)) continue;
        const answers = await this.request(ecu - 8, [0x01, def.pid]);
        const answer = answers.find((a) => a.ecu === ecu);
        if (!answer) continue;
        for (const v of this.parseService01(answer))
          this.emitValue(v.def, v.data, answer.timeUs, emitted);
      }
    }
  }

  private emitValue(
    def: PidDefinition,
    data: Uint8Array,
    timeUs: number,
    emitted: Set<number>,
  ): void {
    // Several ECUs may report the same PID; the first (lowest id) wins within a cycle.
    if (emitted.has(def.pid)) return;
    emitted.add(def.pid);
    this.emit('reading', { name: `obd.${def.name}`, value: def.decode(data), timeUs });
  }

  /** Splits a service 01 answer into PID values, stopping at a PID whose length is unknown. */
  private parseService01(answer: Answer): { def: PidDefinition; data: Uint8Array }[] {
    const p = answer.payload;
    if (p[0] === 0x7f) {
      this.emit(
        'error',
        new ObdNegativeResponseError(
          `ECU 0x${answer.ecu.toString(16)} refused service 0x${(p[1] ?? 0).toString(16)}: NRC 0x${(p[2] ?? 0).toString(16)}`,
          { ecu: answer.ecu },
        ),
      );
      return [];
    }
    if (p[0] !== 0x41) return [];
    const out: { def: PidDefinition; data: Uint8Array }[] = [];
    let i = 1;
    while (i < p.length) {
      const pid = p[i] as number;
      const bytes = dataBytesOf(pid);
      if (bytes === undefined || i + 1 + bytes > p.length) break;
      const def = pids.get(pid);
      if (def) out.push({ def, data: p.slice(i + 1, i + 1 + bytes) });
      i += 1 + bytes;
    }
    return out;
  }

  private async pollTroubleCodes(): Promise<void> {
    const answers = await this.request(FUNCTIONAL, [0x03]);
    const codes = new Set<string>();
    for (const a of answers) for (const c of parseStoredDtcs(a.payload)) codes.add(c);
    const list = [...codes].sort();
    const key = list.join(',');
    if (answers.length > 0 && key !== this.lastCodes) {
      this.lastCodes = key;
      this.emit('troubleCodes', list, Date.now());
    }
  }

  /**
   * Sends one request and gathers the answers: from every ECU until the timeout for a
   * functional request, from the addressed ECU (or the timeout) for a physical one.
   */
  private async request(target: number, payload: number[]): Promise<Answer[]> {
    const collecting: { target: number; answers: Answer[]; done?: () => void } = {
      target,
      answers: [],
    };
    // Collecting before sending: an adapter may pass the answers on before it confirms the
    // request was sent (an SLCAN adapter's frames can come in the same read as its OK).
    this.collecting = collecting;
    try {
      await this.source.send({
        id: target,
        extended: false,
        remote: false,
        fd: false,
        error: false,
        data: singleFrame(payload),
        dlc: 8,
        timeUs: Date.now() * 1000,
      });
    } catch (err) {
      this.collecting = undefined;
      throw err;
    }
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout;
      // At the end of the window, an answer still arriving frame by frame is waited for (a
      // long trouble-code list is dozens of frames): cut off, that ECU's answer would be lost.
      const wait = (ms: number) => {
        timer = setTimeout(() => {
          const more = this.transferUnderWayMs();
          if (more === undefined) resolve();
          else wait(more);
        }, ms);
      };
      wait(this.options.responseTimeoutMs ?? 100);
      collecting.done = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.collecting = undefined;
    return collecting.answers;
  }

  /**
   * Until the next frame of a multi-frame answer under way is overdue, in ms; undefined when
   * no answer is under way (or every one has stalled past the consecutive-frame timeout).
   */
  private transferUnderWayMs(): number | undefined {
    const now = Date.now();
    let soonest: number | undefined;
    for (const [id, rx] of this.receivers) {
      if (!rx.receiving) continue;
      const left = (this.lastFrameMs.get(id) ?? 0) + CONSECUTIVE_FRAME_TIMEOUT_MS - now;
      if (left > 0) soonest = Math.min(soonest ?? left, left);
    }
    return soonest;
  }

  private receive(f: CanFrame): void {
    if (f.extended || f.id < FIRST_RESPONSE || f.id > LAST_RESPONSE) return;
    this.lastFrameMs.set(f.id, Date.now());
    let rx = this.receivers.get(f.id);
    if (!rx) {
      rx = new IsoTpReceiver();
      this.receivers.set(f.id, rx);
    }
    const result = rx.feed(f.data);
    if (result.kind === 'flow-control') {
      this.source
        .send({
          id: f.id - 8,
          extended: false,
          remote: false,
          fd: false,
          error: false,
          data: flowControl(),
          dlc: 8,
          timeUs: Date.now() * 1000,
        })
        .catch((err: Error) => this.emit('error', err));
    } else if (result.kind === 'message' && this.collecting) {
      const c = this.collecting;
      c.answers.push({ ecu: f.id, payload: result.payload, timeUs: f.timeUs });
      if (c.target !== FUNCTIONAL && c.target + 8 === f.id) c.done?.();
    }
  }
}
