import { segment } from '../../src/obd/isotp.js';

/**
 * Simulated OBD-II ECUs on a CAN bus (ISO 15765-4, 11-bit): each answers functional requests
 * (0x7DF) and physical ones (0x7E0+n) on 0x7E8+n, for service 01 (current data, up to six PIDs
 * per request unless `singlePidOnly`) and service 03 (stored trouble codes), sending long
 * answers as ISO-TP first + consecutive frames after the tester's flow control. The OBD
 * poller's tests talk to them over a CAN bus in memory.
 */

export interface SimulatedEcu {
  /** 0..7: answers on 0x7E8+index, takes physical requests on 0x7E0+index. */
  index: number;
  /** Service 01 PIDs and their current data bytes. */
  pids: Map<number, () => number[]>;
  /** Older ECUs refuse multi-PID requests (negative response 0x12). */
  singlePidOnly?: boolean;
  troubleCodes?: string[];
}

export interface BusFrame {
  id: number;
  data: Uint8Array;
}

export class EcuBus {
  private readonly waitingForFlowControl = new Map<number, Uint8Array[]>();
  /** Requests each ECU received (for assertions). */
  readonly requests: { ecu: number; payload: number[] }[] = [];

  constructor(private readonly ecus: readonly SimulatedEcu[]) {}

  /** A frame from the tester; returns the frames the ECUs put on the bus in answer. */
  receive(frame: BusFrame): BusFrame[] {
    const out: BusFrame[] = [];
    const pci = (frame.data[0] ?? 0) >> 4;
    if (pci === 0x3) {
      // Flow control to a physical id: release that ECU's consecutive frames.
      const ecuId = frame.id + 8;
      const rest = this.waitingForFlowControl.get(ecuId);
      if (rest) {
        this.waitingForFlowControl.delete(ecuId);
        for (const data of rest) out.push({ id: ecuId, data });
      }
      return out;
    }
    if (pci !== 0x0) return out;
    const length = (frame.data[0] ?? 0) & 0x0f;
    const payload = [...frame.data.slice(1, 1 + length)];
    for (const ecu of this.ecus) {
      const addressed = frame.id === 0x7df || frame.id === 0x7e0 + ecu.index;
      if (!addressed) continue;
      this.requests.push({ ecu: ecu.index, payload });
      const answer = this.answer(ecu, payload, frame.id === 0x7df);
      if (!answer) continue;
      const frames = segment(Uint8Array.from(answer));
      const id = 0x7e8 + ecu.index;
      out.push({ id, data: frames[0] as Uint8Array });
      if (frames.length > 1) this.waitingForFlowControl.set(id, frames.slice(1));
    }
    return out;
  }

  private answer(ecu: SimulatedEcu, payload: number[], functional: boolean): number[] | undefined {
    const [service, ...args] = payload;
    if (service === 0x01) {
      if (args.length > 1 && ecu.singlePidOnly) return [0x7f, 0x01, 0x12];
      const out = [0x41];
      for (const pid of args) {
        if (pid % 0x20 === 0) {
          out.push(pid, ...supportMask(ecu, pid));
          continue;
        }
        const value = ecu.pids.get(pid);
        if (value) out.push(pid, ...value());
      }
      // A functional request nobody here supports gets no answer at all (ISO 15765-4).
      if (out.length === 1) return functional ? undefined : [0x7f, 0x01, 0x31];
      return out;
    }
    if (service === 0x03) {
      const codes = ecu.troubleCodes ?? [];
      return [0x43, codes.length, ...codes.flatMap(encodeDtc)];
    }
    return functional ? undefined : [0x7f, service ?? 0, 0x11];
  }
}

function supportMask(ecu: SimulatedEcu, base: number): number[] {
  const mask = [0, 0, 0, 0];
  for (let i = 1; i <= 32; i++) {
    const pid = base + i;
    const next = i === 32 && [...ecu.pids.keys()].some((p) => p > base + 32);
    if (ecu.pids.has(pid) || next)
      mask[(i - 1) >> 3] = (mask[(i - 1) >> 3] as number) | (0x80 >> ((i - 1) & 7));
  }
  return mask;
}

/** "P0301" → [0x03, 0x01] (SAE J2012). */
export function encodeDtc(code: string): number[] {
  const system = 'PCBU'.indexOf(code[0] ?? '');
  const first = Number(code[1]);
  const rest = Number.parseInt(code.slice(2), 16);
  if (system < 0 || !(first >= 0 && first <= 3) || Number.isNaN(rest))
    throw new Error(`bad trouble code ${code}`);
  return [(system << 6) | (first << 4) | (rest >> 8), rest & 0xff];
}
