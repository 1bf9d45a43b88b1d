/**
 * Flags of the simulator's commands: `--flag value`, `--flag=value` and bare switches, each at
 * most once, numbers in bounds. Every error is an ArgumentError naming the flag.
 */

/** A bad command line; the command prints it with its usage and exits 2. */
export class ArgumentError extends Error {}

/** `text` as a number within bounds; undefined when the flag was not given. */
export function number(
  flag: string,
  text: string | undefined,
  { integer = false, min = 0, exclusiveMin = false, max = Number.MAX_SAFE_INTEGER } = {},
): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  const kind = integer ? 'an integer' : 'a number';
  if (text.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ArgumentError(`${flag}: "${text}" is not ${kind}`);
  }
  if (exclusiveMin ? v <= min : v < min) {
    throw new ArgumentError(`${flag}: must be ${exclusiveMin ? 'more than' : 'at least'} ${min}`);
  }
  if (v > max) throw new ArgumentError(`${flag}: must be at most ${max}`);
  return v;
}

/**
 * Splits `--flag value`, `--flag=value` and bare `switches`; every flag at most once. Throws
 * ArgumentError naming the flag.
 */
export function parseFlags<F extends string, S extends string>(
  argv: readonly string[],
  flags: readonly F[],
  switches: readonly S[] = [],
): { values: Map<F, string>; set: Set<S> } {
  const values = new Map<F, string>();
  const set = new Set<S>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if ((switches as readonly string[]).includes(flag)) {
      if (eq > 0) throw new ArgumentError(`${flag}: takes no value`);
      set.add(flag as S);
      continue;
    }
    if (!(flags as readonly string[]).includes(flag)) {
      throw new ArgumentError(
        arg.startsWith('-') ? `${flag}: unknown option` : `"${arg}": unexpected argument`,
      );
    }
    let value: string | undefined;
    if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new ArgumentError(`${flag}: needs a value`);
      }
      i++;
    }
    if (values.has(flag as F)) throw new ArgumentError(`${flag}: given twice`);
    values.set(flag as F, value);
  }
  return { values, set };
}
