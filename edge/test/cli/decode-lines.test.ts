import { describe, expect, it } from 'vitest';
import { decodeLogLine, LineSplitter, parseDecodeArgs } from '../../src/cli/decode.js';
import { DbcCodec } from '../../src/dbc/codec.js';
import { loadFixture } from '../dbc/helpers.js';

function split(chunks: string[]): [string | undefined, number][] {
  const splitter = new LineSplitter();
  const seen: [string | undefined, number][] = [];
  chunks.forEach((chunk, i) => {
    splitter.push(chunk, i === chunks.length - 1, (line, n) => seen.push([line, n]));
  });
  return seen;
}

describe('LineSplitter', () => {
  it('should number lines across chunk boundaries and flush the last line at the end', () => {
    expect(split(['a\nb', 'c\n\nd', ''])).toEqual([
      ['a', 1],
      ['bc', 2],
      ['', 3],
      ['d', 4],
    ]);
  });

  it('should report an overlong line once and drop it up to its newline', () => {
    const long = 'x'.repeat(700_000);
    expect(split(['ok\n', long, long, `${long}\nnext\n`, ''])).toEqual([
      ['ok', 1],
      [undefined, 2],
      ['next', 3],
      ['', 4],
    ]);
  });
});

describe('decodeLogLine', () => {
  const codec = new DbcCodec(loadFixture('_toyota_2017.dbc'));

  it('should pass over blank lines and comments silently', () => {
    for (const line of ['', '   ', '\r', '# comment', '  # indented comment']) {
      expect(decodeLogLine(codec, line)).toBeUndefined();
    }
  });

  it('should turn a decodable frame into a JSON line and problems into reports', () => {
    expect(decodeLogLine(codec, '(007.5) can0 0B4#000000002A27107F')).toEqual({
      out: '{"t":7.5,"id":180,"message":"SPEED","signals":{"ENCODER":42,"SPEED":100,"CHECKSUM":127}}',
    });
    expect(decodeLogLine(codec, '(1.0) can0 7FF#00')).toEqual({
      err: 'unknown frame id 0x7FF (standard)',
    });
    expect(decodeLogLine(codec, '(1.0) can0 0B4#00')).toEqual({
      err: 'frame 0x0B4 (standard): frame has 1 data byte, BO_ SPEED needs 8',
    });
  });
});

describe('parseDecodeArgs', () => {
  it('should read --dbc in both spellings and - or nothing as stdin', () => {
    expect(parseDecodeArgs(['--dbc', 'a.dbc', 'x.log'])).toEqual({
      ok: true,
      args: { dbc: 'a.dbc', log: 'x.log' },
    });
    expect(parseDecodeArgs(['x.log', '--dbc=a.dbc'])).toEqual({
      ok: true,
      args: { dbc: 'a.dbc', log: 'x.log' },
    });
    expect(parseDecodeArgs(['--dbc', 'a.dbc', '-'])).toEqual({
      ok: true,
      args: { dbc: 'a.dbc', log: undefined },
    });
    expect(parseDecodeArgs(['--dbc', 'a.dbc'])).toEqual({
      ok: true,
      args: { dbc: 'a.dbc', log: undefined },
    });
  });

  it('should say what is wrong with bad arguments', () => {
    expect(parseDecodeArgs([])).toEqual({
      ok: false,
      help: false,
      error: '--dbc FILE is required',
    });
    expect(parseDecodeArgs(['--dbc'])).toEqual({
      ok: false,
      help: false,
      error: '--dbc needs a file',
    });
    expect(parseDecodeArgs(['--dbc=', 'x'])).toEqual({
      ok: false,
      help: false,
      error: '--dbc needs a file',
    });
    expect(parseDecodeArgs(['--dbc', 'a', '-v'])).toEqual({
      ok: false,
      help: false,
      error: 'unknown option -v',
    });
    expect(parseDecodeArgs(['--dbc', 'a', 'x', 'y'])).toEqual({
      ok: false,
      help: false,
      error: 'one log at a time (got x, y)',
    });
    expect(parseDecodeArgs(['-h'])).toEqual({ ok: false, help: true });
  });
});
