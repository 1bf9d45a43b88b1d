import { describe, expect, it } from 'vitest';
import { type SimCanFrame, SlcanDevice, type SlcanDeviceOptions } from '../src/slcan-device.js';

const OK = '\r';
const BEL = '\x07';

/** A frame as a host or a bus hands it over; extended when the id needs 29 bits. */
function frame(
  id: number,
  data: number[],
  options: { extended?: boolean; remote?: boolean; dlc?: number } = {},
): SimCanFrame {
  const bytes = Uint8Array.from(data);
  return {
    id,
    extended: options.extended ?? id > 0x7ff,
    remote: options.remote ?? false,
    data: bytes,
    dlc: options.dlc ?? bytes.length,
  };
}

/** A device whose output is collected; `say` sends one command and returns the answer. */
function device(options: SlcanDeviceOptions = {}) {
  const out: string[] = [];
  const dev = new SlcanDevice((text) => out.push(text), options);
  const say = (command: string) => {
    out.length = 0;
    dev.receive(`${command}\r`);
    return out.join('');
  };
  return { dev, out, say };
}

function opened(options: SlcanDeviceOptions = {}) {
  const d = device(options);
  d.say('S6');
  d.say('O');
  d.out.length = 0;
  return d;
}

describe('simulated SLCAN adapter (device side)', () => {
  it('sets a bit rate and opens, as a closed Lawicel adapter does', () => {
    const { dev, say } = device();
    expect(say('S6')).toBe(OK);
    expect(dev.bitrate).toBe(500_000);
    expect(say('O')).toBe(OK);
    expect(dev.state).toBe('open');
    expect(say('C')).toBe(OK);
    expect(dev.state).toBe('closed');
  });

  it.each([
    ['S9', 'an S code beyond 8'],
    ['S', 'S without a code'],
    ['O', 'opening before a bit rate is set'],
    ['C', 'closing a closed channel'],
    ['F', 'status flags while closed'],
    ['t1230', 'a frame while closed'],
    ['Q', 'an unknown command'],
    ['Z2', 'a time stamp mode other than 0 and 1'],
  ])('answers %s (%s) with BEL', (command) => {
    expect(device().say(command)).toBe(BEL);
  });

  it('refuses S7 with BEL when built without 800 kbit/s, and takes S6', () => {
    const { say } = device({ bitrates: [0, 1, 2, 3, 4, 5, 6, 8] });
    expect(say('S7')).toBe(BEL);
    expect(say('S6')).toBe(OK);
  });

  it('refuses to change the bit rate or open again while open', () => {
    const { say } = opened();
    expect(say('S5')).toBe(BEL);
    expect(say('O')).toBe(BEL);
    expect(say('L')).toBe(BEL);
  });

  it('answers V, N and F', () => {
    const { say } = opened({ version: '0107', serial: 'B042' });
    expect(say('V')).toBe('V0107\r');
    expect(say('N')).toBe('NB042\r');
    expect(say('F')).toBe('F00\r');
  });

  it('records a transmitted frame and acknowledges it with CR, or z/Z like a CANUSB', () => {
    const cr = opened();
    expect(cr.say('t1232AABB')).toBe(OK);
    expect(cr.dev.transmitted).toEqual([
      { id: 0x123, extended: false, remote: false, data: Uint8Array.of(0xaa, 0xbb), dlc: 2 },
    ]);
    const z = opened({ ack: 'z' });
    expect(z.say('t1230')).toBe('z\r');
    expect(z.say('T1234567800')).toBe(BEL); // a length of 0 followed by a stray digit
    expect(z.say('T123456780')).toBe('Z\r');
    expect(z.say('r7DF8')).toBe('z\r');
  });

  it.each([
    ['t12', 'a short id'],
    ['t1232AA', 'too few data digits'],
    ['t1239', 'a length of 9'],
    ['t8000', 'a standard id above 0x7FF'],
    ['r1232AA', 'data on a remote frame'],
  ])('answers a malformed transmit %s (%s) with BEL and records nothing', (command) => {
    const { dev, say } = opened();
    expect(say(command)).toBe(BEL);
    expect(dev.transmitted).toEqual([]);
  });

  it('refuses to transmit while listen-only', () => {
    const { dev, say } = device();
    say('S6');
    expect(say('L')).toBe(OK);
    expect(dev.state).toBe('listen-only');
    expect(say('t1230')).toBe(BEL);
    expect(dev.transmitted).toEqual([]);
  });

  it('refuses transmits while its transmit FIFO is full and says so in F', () => {
    const { dev, say } = opened();
    dev.setTxQueueFull(true);
    expect(say('t1230')).toBe(BEL);
    expect(say('F')).toBe('F02\r');
    dev.setTxQueueFull(false);
    expect(say('F')).toBe('F00\r');
    expect(say('t1230')).toBe(OK);
  });

  it('passes bus frames on only while the channel is open', () => {
    const { dev, out, say } = device();
    expect(dev.emitFrame(frame(0x123, [1]))).toBe(false);
    expect(out).toEqual([]);
    say('S6');
    say('O');
    out.length = 0;
    expect(dev.emitFrame(frame(0x123, [1]))).toBe(true);
    expect(dev.emitFrame(frame(0x18da_f110, [2, 0x10, 3]))).toBe(true);
    expect(dev.emitFrame(frame(0x7df, [], { remote: true, dlc: 8 }))).toBe(true);
    expect(out).toEqual(['t123101\r', 'T18DAF1103021003\r', 'r7DF8\r']);
  });

  it('appends 4 hex digits of milliseconds, modulo one minute, once Z1 is set', () => {
    let now = 61_000;
    const { dev, out, say } = device({ clockMs: () => now });
    expect(say('Z1')).toBe(OK);
    say('S6');
    say('O');
    out.length = 0;
    dev.emitFrame(frame(0x123, [0xaa]));
    now = 119_999;
    dev.emitFrame(frame(0x123, []));
    dev.emitFrame(frame(0x123, []), 0x1f40);
    expect(out).toEqual(['t1231AA03E8\r', 't1230EA5F\r', 't12301F40\r']);
  });

  it('answers a transmitted frame through the onTransmit hook, after the acknowledgement', () => {
    const { dev, out, say } = opened();
    dev.onTransmit((f) => (f.id === 0x7df ? [frame(0x7e8, [0x03, 0x41, 0x0d, 0x32])] : undefined));
    say('t7DF302010D');
    expect(out).toEqual([OK, 't7E8403410D32\r']);
  });

  it('puts garbage on the line as is', () => {
    const { dev, out } = device();
    dev.injectRaw('t12#?\r');
    expect(out).toEqual(['t12#?\r']);
  });

  it('reads commands split across reads', () => {
    const { dev, out } = device();
    dev.receive('S');
    dev.receive('6\rO');
    dev.receive('\r');
    expect(out).toEqual([OK, OK]);
    expect(dev.commands).toEqual(['S6', 'O']);
  });
});
