import { describe, expect, it } from 'vitest';
import {
  formatCandumpLine,
  formatCompactFrame,
  parseCandumpLine,
  parseCompactFrame,
} from '../../src/can/candump-format.js';
import { frame } from '../../src/can/frame.js';
import { CanLineError } from '../../src/errors.js';

describe('candump -L format', () => {
  it('reads the R/T direction that candump -x appends, and ignores it for the frame', () => {
    const received = parseCandumpLine('(1436509052.249713) can0 123#11223344 R');
    const sent = parseCandumpLine('(1436509052.249713) can0 123#11223344 T');
    expect(Array.from(received.frame.data)).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect(sent.frame).toEqual(received.frame);
  });

  it('still refuses a trailing word that is not a direction', () => {
    expect(() => parseCandumpLine('(1436509052.249713) can0 123#11 X')).toThrow(CanLineError);
  });

  it('reads interface names padded the way candump aligns them', () => {
    const line = parseCandumpLine('(1436509052.249713)  can0 123#11');
    expect(line.iface).toBe('can0');
  });

  it('reads a raw DLC 9..F after 8 bytes (len8_dlc) and writes it back the same way', () => {
    const f = parseCompactFrame('123#1122334455667788_E', 0);
    expect(f.dlc).toBe(14);
    expect(f.data).toHaveLength(8);
    expect(formatCompactFrame(f)).toBe('123#1122334455667788_E');
  });

  it.each([
    ['123#1122334455667788_Z', 'a non-hex raw DLC'],
    ['123#1122334455667788_5', 'a raw DLC below 9'],
    ['123#11_9', 'a raw DLC after fewer than 8 bytes'],
    ['123#1122334455667788_', 'an empty raw DLC'],
  ])('refuses %s (%s)', (text) => {
    expect(() => parseCompactFrame(text, 0)).toThrow(CanLineError);
  });

  it.each([
    [frame(0x123, [0xde, 0xad]), '123#DEAD'],
    [frame(0x5, [], { extended: true }), '00000005#'],
    [frame(0x7df, [], { remote: true, dlc: 8 }), '7DF#R8'],
    [frame(0x7df, [], { remote: true, dlc: 0 }), '7DF#R'],
    [frame(0x123, [1, 2], { fd: true }), '123##00102'],
  ])('writes %o in the compact form cansend takes: %s', (f, text) => {
    expect(formatCompactFrame(f)).toBe(text);
    expect(formatCandumpLine(f, 'vcan0', '1.000000')).toBe(`(1.000000) vcan0 ${text}`);
  });
});
