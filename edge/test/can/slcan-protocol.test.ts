import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { type CanFrame, frame } from '../../src/can/frame.js';
import {
  bitrateCommand,
  decodeSlcanLine,
  encodeSlcanFrame,
  SLCAN_BITRATES,
  SlcanLineReader,
  type SlcanMessage,
} from '../../src/can/slcan-protocol.js';
import { CanFrameInvalidError, CanLineError, EdgeErrorCodes } from '../../src/errors.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('SLCAN line decoding', () => {
  it.each([
    // The CAN232 manual's own example: id 0x100, two bytes 11 33.
    ['t10021133', { id: 0x100, extended: false, remote: false, dlc: 2, data: [0x11, 0x33] }],
    ['t7FF0', { id: 0x7ff, extended: false, remote: false, dlc: 0, data: [] }],
    [
      't00080102030405060708',
      { id: 0, extended: false, remote: false, dlc: 8, data: [1, 2, 3, 4, 5, 6, 7, 8] },
    ],
    ['T1FFFFFFF1aa', { id: 0x1fff_ffff, extended: true, remote: false, dlc: 1, data: [0xaa] }],
    ['T000000050', { id: 5, extended: true, remote: false, dlc: 0, data: [] }],
    ['r7DF8', { id: 0x7df, extended: false, remote: true, dlc: 8, data: [] }],
    ['R18DB33F14', { id: 0x18db_33f1, extended: true, remote: true, dlc: 4, data: [] }],
  ])('reads %s as a frame', (line, expected) => {
    const message = decodeSlcanLine(line);
    expect(message.kind).toBe('frame');
    if (message.kind !== 'frame') return;
    expect({ ...message.frame, data: Array.from(message.frame.data) }).toEqual(expected);
  });

  it.each([
    ['t1232AABB1F40', 0x1f40, [0xaa, 0xbb]],
    ['t1230EA5F', 59_999, []],
    ['T1234567880102030405060708EA5F', 59_999, [1, 2, 3, 4, 5, 6, 7, 8]],
    ['r7DF80000', 0, []],
  ])('reads the time stamp at the end of %s apart from the data', (line, ms, data) => {
    const message = decodeSlcanLine(line);
    expect(message.kind).toBe('frame');
    if (message.kind !== 'frame') return;
    expect(message.frame.adapterMs).toBe(ms);
    expect(Array.from(message.frame.data)).toEqual(data);
  });

  it.each<[string, SlcanMessage]>([
    ['', { kind: 'ok' }],
    ['z', { kind: 'transmitted', extended: false }],
    ['Z', { kind: 'transmitted', extended: true }],
    ['V1013', { kind: 'version', hardware: '10', software: '13' }],
    ['NA123', { kind: 'serial', serial: 'A123' }],
    ['F0A', { kind: 'status', flags: 0x0a }],
  ])('reads "%s" as a reply', (line, expected) => {
    expect(decodeSlcanLine(line)).toEqual(expected);
  });

  it.each([
    ['t12', 'an id cut short'],
    ['t1239', 'a length of 9'],
    ['t123', 'no length digit'],
    ['t1232AA', 'fewer data digits than the length says'],
    ['t1232AABBC', 'an odd digit too many'],
    ['t1232AABBCCDDEEFF', 'more data than a time stamp explains'],
    ['t8000', 'a standard id above 0x7FF'],
    ['T200000000', 'an extended id above 0x1FFFFFFF'],
    ['t1232GGHH', 'non-hex data'],
    ['t1232AABBEA60', 'a time stamp of 60000 ms'],
    ['r7DF8AA', 'data on a remote frame'],
    ['x', 'an unknown letter'],
    ['zz', 'a transmit acknowledgement with a tail'],
    ['V1', 'a short version'],
    ['F1', 'a short status'],
    ['N12', 'a short serial number'],
    ['\x00\xff', 'binary noise'],
  ])('refuses "%s" (%s) with a CanLineError', (line) => {
    const message = decodeSlcanLine(line);
    expect(message.kind).toBe('invalid');
    if (message.kind !== 'invalid') return;
    expect(message.error).toBeInstanceOf(CanLineError);
    expect(message.error.code).toBe(EdgeErrorCodes.canLineInvalid);
    expect(message.line).toBe(line);
  });

  it('shows control characters escaped in the error message', () => {
    const message = decodeSlcanLine('q\x01\xfe');
    expect(message.kind === 'invalid' && message.error.message).toContain('q\\x01\\xFE');
  });
});

describe('SLCAN encoding', () => {
  it.each<[CanFrame, string]>([
    [frame(0x100, [0x11, 0x33]), 't10021133\r'],
    [frame(0x7ff, []), 't7FF0\r'],
    [frame(0x18da_f110, [0x02, 0x10, 0x03]), 'T18DAF1103021003\r'],
    [frame(0x5, [0xab], { extended: true }), 'T000000051AB\r'],
    [frame(0x7df, [], { remote: true, dlc: 8 }), 'r7DF8\r'],
    [frame(0x18db_33f1, [], { remote: true, extended: true, dlc: 2 }), 'R18DB33F12\r'],
  ])('writes %o as %j', (f, line) => {
    expect(encodeSlcanFrame(f)).toBe(line);
  });

  it.each<[string, CanFrame]>([
    ['a CAN FD frame', frame(0x123, [1], { fd: true })],
    ['an error frame', frame(0x4, [0, 0, 0, 0, 0, 0, 0, 0], { error: true, extended: true })],
    ['a standard id above 0x7FF', frame(0x800, [], { extended: false })],
    ['an id above 29 bits', frame(0x2000_0000, [], { extended: true })],
    ['nine data bytes', frame(0x123, [1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['a remote frame asking for 9 bytes', frame(0x123, [], { remote: true, dlc: 9 })],
  ])('refuses %s with a CanFrameInvalidError', (_what, f) => {
    expect(() => encodeSlcanFrame(f)).toThrow(CanFrameInvalidError);
  });

  it('maps every bit rate to its S code, 10k as S0 through 1M as S8', () => {
    expect(SLCAN_BITRATES.map(bitrateCommand)).toEqual(
      ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'].map((s) => `${s}\r`),
    );
  });

  it('decodes what it encodes, for a thousand random frames', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const extended = random() < 0.5;
      const remote = random() < 0.2;
      const id = Math.floor(random() * (extended ? 0x2000_0000 : 0x800));
      const length = Math.floor(random() * 9);
      const data = remote ? [] : Array.from({ length }, () => Math.floor(random() * 256));
      const f = frame(id, data, { extended, remote, dlc: length });
      const line = encodeSlcanFrame(f);
      const message = decodeSlcanLine(line.slice(0, -1));
      expect(message.kind).toBe('frame');
      if (message.kind !== 'frame') return;
      expect({ ...message.frame, data: Array.from(message.frame.data) }).toEqual({
        id,
        extended,
        remote,
        dlc: length,
        data,
      });
    }
  });
});

describe('SLCAN line reader', () => {
  const kinds = (messages: SlcanMessage[]) => messages.map((m) => m.kind);

  it('splits on CR and takes BEL as a reply of its own', () => {
    const reader = new SlcanLineReader();
    expect(kinds(reader.push(bytes('\r\x07t1230\rz\rZ\r')))).toEqual([
      'ok',
      'bel',
      'frame',
      'transmitted',
      'transmitted',
    ]);
  });

  it('gives the same messages whether bytes come all at once or one at a time', () => {
    const stream = 't1232AABB\r\x07V1013\rT123456780\rgarbage\r\rF00\r';
    const whole = new SlcanLineReader().push(bytes(stream));
    const single = new SlcanLineReader();
    const pieces = [...bytes(stream)].flatMap((b) => single.push(Uint8Array.of(b)));
    expect(pieces).toEqual(whole);
    expect(kinds(whole)).toEqual(['frame', 'bel', 'version', 'frame', 'invalid', 'ok', 'status']);
  });

  it('reports a line cut off by BEL as invalid, then the BEL', () => {
    const reader = new SlcanLineReader();
    expect(kinds(reader.push(bytes('t12\x07t1230\r')))).toEqual(['invalid', 'bel', 'frame']);
  });

  it('ignores the LF of adapters that end lines in CR LF', () => {
    const reader = new SlcanLineReader();
    expect(kinds(reader.push(bytes('t1230\r\nz\r\n')))).toEqual(['frame', 'transmitted']);
  });

  it('reports an overlong line once and reads the next line normally', () => {
    const reader = new SlcanLineReader();
    const messages = reader.push(bytes(`${'A'.repeat(500)}\rt1230\r`));
    expect(kinds(messages)).toEqual(['invalid', 'frame']);
  });

  it('never throws on random bytes and recovers at the next CR, over 2000 random chunks', () => {
    const random = seededRandom(42);
    // Protocol characters are over-represented so the noise reaches the decoder's branches.
    const alphabet = bytes('tTrRzZVNFS0123456789ABCDEFabcdef\r\x07\n');
    const reader = new SlcanLineReader();
    const known = new Set([
      'frame',
      'ok',
      'bel',
      'transmitted',
      'version',
      'serial',
      'status',
      'invalid',
    ]);
    for (let i = 0; i < 2000; i++) {
      const chunk = Uint8Array.from({ length: Math.floor(random() * 80) }, () =>
        random() < 0.5
          ? (alphabet[Math.floor(random() * alphabet.length)] ?? 0)
          : Math.floor(random() * 256),
      );
      let messages: SlcanMessage[] = [];
      expect(() => {
        messages = reader.push(chunk);
      }).not.toThrow();
      for (const m of messages) {
        expect(known.has(m.kind)).toBe(true);
        if (m.kind === 'invalid') expect(m.error).toBeInstanceOf(CanLineError);
      }
    }
    // Whatever came before, a CR and a valid line decode as that line.
    const tail = reader.push(bytes('\rt7DF3010203\r'));
    const last = tail.at(-1);
    expect(last?.kind === 'frame' && Array.from(last.frame.data)).toEqual([1, 2, 3]);
  });
});
