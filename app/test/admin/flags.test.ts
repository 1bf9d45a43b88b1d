import { describe, expect, it } from 'vitest';
import { ArgumentError, type ArgumentSpec, parseArgs } from '../../src/admin/flags.js';

const spec: ArgumentSpec = {
  positionals: ['ID'],
  required: ['--role'],
  optional: ['--store', '--group'],
  switches: ['--json'],
  exclusive: [['--store', '--group']],
};

describe('parseArgs', () => {
  it('should take --flag value, --flag=value, switches and the positional in any order', () => {
    const a = parseArgs(['--role=viewer', 'u-1', '--json', '--store', 'north'], spec);
    expect(a.positionals).toEqual(['u-1']);
    expect(Object.fromEntries(a.values)).toEqual({ '--role': 'viewer', '--store': 'north' });
    expect([...a.switches]).toEqual(['--json']);
  });

  it('should keep a value with = and spaces in it', () => {
    expect(parseArgs(['u', '--role', 'a=b c'], spec).values.get('--role')).toBe('a=b c');
  });

  it.each([
    [['u'], '--role: missing'],
    [['--role', 'x'], 'ID: missing'],
    [['u', '--role'], '--role: needs a value'],
    [['u', '--role', '--json'], '--role: needs a value'],
    [['u', '--role', 'x', '--role', 'y'], '--role: given twice'],
    [['u', '--role', 'x', '--bogus', '1'], '--bogus: unknown option'],
    [['u', 'v', '--role', 'x'], '"v": unexpected argument'],
    [['u', '--role', 'x', '--json=1'], '--json: takes no value'],
    [['u', '--role', 'x', '--store', 'a', '--group', 'b'], '--store and --group: give only one'],
  ])('should refuse %j: %s', (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(new ArgumentError(message));
  });
});

describe('parseArgs with hostile arguments', () => {
  it('should escape control characters of the arguments it names', () => {
    expect(() => parseArgs(['u', '--role', 'x', '--\u001b[2J'], spec)).toThrow(
      new ArgumentError('--\\u001B[2J: unknown option'),
    );
    expect(() => parseArgs(['u', 'v\u202e'], spec)).toThrow(
      new ArgumentError('"v\\u202E": unexpected argument'),
    );
  });
});
