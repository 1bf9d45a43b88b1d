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

  it('scans lines exactly as the reference regular expression reads them', () => {
    // The reference: the grammar as one regular expression, the way the parser was first written.
    const reference = /^\((\d+)\.(\d+)\)\s+(\S+)\s+(\S+)(?:\s+[RT])?\s*$/;
    const oracle = (line: string) => {
      const m = reference.exec(line);
      if (!m) return 'refused';
      const [, secs, frac, iface] = m as unknown as string[];
      const timeUs = Number(secs) * 1e6 + Number(`${frac}000000`.slice(0, 6));
      try {
        const text = formatCompactFrame(parseCompactFrame(m[4] as string, timeUs));
        return { timestamp: `${secs}.${frac}`, iface, text, timeUs };
      } catch {
        return 'refused';
      }
    };
    const scanned = (line: string) => {
      try {
        const r = parseCandumpLine(line);
        return {
          timestamp: r.timestamp,
          iface: r.iface,
          text: formatCompactFrame(r.frame),
          timeUs: r.frame.timeUs,
        };
      } catch (err) {
        expect(err).toBeInstanceOf(CanLineError);
        return 'refused';
      }
    };
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
    const spaces = [' ', '  ', '\t', ' \t ', '\u00a0', '\u3000', ''];
    const parts = {
      open: ['(', '(', '(', '[', ''],
      secs: ['1436509052', '0', '17', '', '12a'],
      dot: ['.', '.', '.', ',', ''],
      frac: ['249713', '5', '1234567', '000001', '', 'x1'],
      close: [')', ')', ')', ''],
      iface: ['can0', 'vcan12', 'x', 'c\u00e4n'],
      frame: ['123#11223344', '12345678#DEADBEEF', '7FF#', '123#R', '123#1122334455667788'],
      tail: ['', '', ' R', ' T', '\tR ', ' X', ' RT', 'R', ' R\r', '\r', ' \u00a0', ' R extra'],
    };
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const line = [
        pick(parts.open),
        pick(parts.secs),
        pick(parts.dot),
        pick(parts.frac),
        pick(parts.close),
        pick(spaces),
        pick(parts.iface),
        pick(spaces),
        pick(parts.frame),
        pick(parts.tail),
      ].join('');
      const expected = oracle(line);
      if (expected !== 'refused') accepted++;
      expect(scanned(line), JSON.stringify(line)).toEqual(expected);
    }
    // Both kinds were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2900);
  });
});
