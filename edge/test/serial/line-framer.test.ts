import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../src/serial/line-framer.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('LineFramer', () => {
  it('ends lines at CR LF, LF or CR alike and drops the empty lines in between', () => {
    const framer = new LineFramer();
    expect(framer.push(bytes('one\r\ntwo\nthree\r\r\n\nfour\r')).lines).toEqual([
      'one',
      'two',
      'three',
      'four',
    ]);
  });

  it('keeps a line that arrives in several chunks together', () => {
    const framer = new LineFramer();
    expect(framer.push(bytes('$GPGGA,12')).lines).toEqual([]);
    expect(framer.push(bytes('3519,4807')).lines).toEqual([]);
    expect(framer.push(bytes('.038,N*47\r\n$GP')).lines).toEqual(['$GPGGA,123519,4807.038,N*47']);
    expect(framer.end().lines).toEqual(['$GP']);
  });

  it('maps each byte to one character, so NUL and high bytes reach the decoder unchanged', () => {
    const framer = new LineFramer();
    const [line] = framer.push(Uint8Array.from([0x24, 0x00, 0xff, 0x80, 0x0a])).lines;
    expect([...line!].map((c) => c.charCodeAt(0))).toEqual([0x24, 0x00, 0xff, 0x80]);
  });

  it('discards an over-long line up to its end, reports it once, and carries on', () => {
    const framer = new LineFramer(8);
    const first = framer.push(bytes('ok\n0123456789'));
    expect(first).toEqual({ lines: ['ok'], overlong: 1 });
    const second = framer.push(bytes('more junk without end'));
    expect(second).toEqual({ lines: [], overlong: 0 });
    expect(framer.push(bytes('tail\nnext\n'))).toEqual({ lines: ['next'], overlong: 0 });
  });

  it('counts an over-long line that arrives in one chunk with its terminator', () => {
    const framer = new LineFramer(4);
    expect(framer.push(bytes('abcdefgh\nxy\n'))).toEqual({ lines: ['xy'], overlong: 1 });
  });

  it('forgets a partial line on reset', () => {
    const framer = new LineFramer();
    framer.push(bytes('partial'));
    framer.reset();
    expect(framer.push(bytes('whole\n')).lines).toEqual(['whole']);
  });
});
