/**
 * ISO 15765-2 (ISO-TP) transport, as much as OBD-II needs: requests are single frames;
 * responses may be single frames or a first frame followed by consecutive frames, for which
 * the receiver sends a flow control frame (continue to send, no block limit, no separation
 * time). Pure: frames in, messages and flow-control frames out.
 */

export const PCI_SINGLE = 0x0;
export const PCI_FIRST = 0x1;
export const PCI_CONSECUTIVE = 0x2;

/** OBD-II frames are always 8 bytes (ISO 15765-4); unused bytes are padded. */
export function singleFrame(payload: ArrayLike<number>, pad = 0x00): Uint8Array {
  if (payload.length > 7) throw new Error('an ISO-TP single frame carries at most 7 bytes');
  const out = new Uint8Array(8).fill(pad);
  out[0] = payload.length;
  out.set(Array.from(payload), 1);
  return out;
}

/** Flow control: clear to send, block size 0 (all), STmin 0. */
export function flowControl(pad = 0x00): Uint8Array {
  const out = new Uint8Array(8).fill(pad);
  out[0] = 0x30;
  return out;
}

export type ReceiveResult =
  | { kind: 'message'; payload: Uint8Array }
  | { kind: 'flow-control' }
  | { kind: 'continue' }
  | { kind: 'invalid'; reason: string };

/** Reassembles one sender's messages (one instance per response id). */
export class IsoTpReceiver {
  private buffer: Uint8Array | undefined;
  private received = 0;
  private nextIndex = 1;

  /** A multi-frame message is under way: its first frame came, its last has not. */
  get receiving(): boolean {
    return this.buffer !== undefined;
  }

  feed(data: Uint8Array): ReceiveResult {
    const type = (data[0] ?? 0) >> 4;
    if (type === PCI_SINGLE) {
      this.buffer = undefined;
      const length = (data[0] as number) & 0x0f;
      if (length === 0 || length > data.length - 1)
        return { kind: 'invalid', reason: `single frame length ${length}` };
      return { kind: 'message', payload: data.slice(1, 1 + length) };
    }
    if (type === PCI_FIRST) {
      const length = (((data[0] as number) & 0x0f) << 8) | (data[1] ?? 0);
      if (length < 8) return { kind: 'invalid', reason: `first frame length ${length}` };
      this.buffer = new Uint8Array(length);
      const part = data.slice(2, Math.min(data.length, 2 + length));
      this.buffer.set(part);
      this.received = part.length;
      this.nextIndex = 1;
      return { kind: 'flow-control' };
    }
    if (type === PCI_CONSECUTIVE) {
      if (!this.buffer)
        return { kind: 'invalid', reason: 'consecutive frame without a first frame' };
      const index = (data[0] as number) & 0x0f;
      if (index !== this.nextIndex) {
        this.buffer = undefined;
        return {
          kind: 'invalid',
          reason: `consecutive frame ${index} where ${this.nextIndex} was due`,
        };
      }
      this.nextIndex = (this.nextIndex + 1) & 0x0f;
      const part = data.slice(1, Math.min(data.length, 1 + this.buffer.length - this.received));
      this.buffer.set(part, this.received);
      this.received += part.length;
      if (this.received < this.buffer.length) return { kind: 'continue' };
      const payload = this.buffer;
      this.buffer = undefined;
      return { kind: 'message', payload };
    }
    return { kind: 'invalid', reason: `frame type ${type}` };
  }
}

/** Splits a payload into ISO-TP frames (what an ECU sends; used by the ECU simulator). */
export function segment(payload: Uint8Array, pad = 0x00): Uint8Array[] {
  if (payload.length <= 7) return [singleFrame(payload, pad)];
  const frames: Uint8Array[] = [];
  const first = new Uint8Array(8).fill(pad);
  first[0] = 0x10 | ((payload.length >> 8) & 0x0f);
  first[1] = payload.length & 0xff;
  first.set(payload.slice(0, 6), 2);
  frames.push(first);
  let index = 1;
  for (let offset = 6; offset < payload.length; offset += 7) {
    const f = new Uint8Array(8).fill(pad);
    f[0] = 0x20 | index;
    f.set(payload.slice(offset, offset + 7), 1);
    frames.push(f);
    index = (index + 1) & 0x0f;
  }
  return frames;
}
