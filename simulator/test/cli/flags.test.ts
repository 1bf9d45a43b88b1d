import { describe, expect, it } from 'vitest';
import { ArgumentError, number, parseFlags } from '../../src/cli/flags.js';

describe('parseFlags', () => {
  it('should take --flag value, --flag=value and switches', () => {
    const { values, set } = parseFlags(['--a', '1', '--b=x=y', '--on'], ['--a', '--b'], ['--on']);
    expect([...values]).toEqual([
      ['--a', '1'],
      ['--b', 'x=y'],
    ]);
    expect([...set]).toEqual(['--on']);
  });

  it('should name the flag of every mistake', () => {
    const mistake = (argv: string[]) => {
      try {
        parseFlags(argv, ['--a'], ['--on']);
      } catch (err) {
        expect(err).toBeInstanceOf(ArgumentError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(mistake(['--b', '1'])).toBe('--b: unknown option');
    expect(mistake(['stray'])).toBe('"stray": unexpected argument');
    expect(mistake(['--a'])).toBe('--a: needs a value');
    expect(mistake(['--a', '--on'])).toBe('--a: needs a value');
    expect(mistake(['--a', '1', '--a=2'])).toBe('--a: given twice');
    expect(mistake(['--on=yes'])).toBe('--on: takes no value');
  });
});

describe('number', () => {
  it('should read a number within its bounds, and nothing when not given', () => {
    expect(number('--n', undefined)).toBeUndefined();
    expect(number('--n', '2.5')).toBe(2.5);
    expect(number('--n', '3', { integer: true, min: 3, max: 3 })).toBe(3);
  });

  it('should say what is wrong', () => {
    expect(() => number('--n', '2.5', { integer: true })).toThrow('--n: "2.5" is not an integer');
    expect(() => number('--n', ' ')).toThrow('--n: " " is not a number');
    expect(() => number('--n', '0', { exclusiveMin: true })).toThrow('--n: must be more than 0');
    expect(() => number('--n', '-1')).toThrow('--n: must be at least 0');
    expect(() => number('--n', '11', { max: 10 })).toThrow('--n: must be at most 10');
  });
});
