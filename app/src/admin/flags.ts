import { printable, quoted } from '@fleetline/platform';

/**
 * The administration commands' arguments, parsed as the simulator's are: `--flag value`,
 * `--flag=value` and bare switches, each at most once; positional arguments in their places.
 * Every error is an ArgumentError naming the flag or argument, and the command exits 2.
 */

/** A bad command line: usage, an unknown or missing option, a value that is not valid. */
export class ArgumentError extends Error {}

export interface ArgumentSpec {
  /** Names of the positional arguments, in order (shown in usage, e.g. `ID`, `FILE`). */
  readonly positionals: readonly string[];
  /** Options that must be given. */
  readonly required: readonly string[];
  /** Options that may be given. */
  readonly optional: readonly string[];
  /** Options without a value. */
  readonly switches: readonly string[];
  /** Options of which at most one may be given (e.g. --username and --mobile). */
  readonly exclusive?: readonly (readonly string[])[];
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
}

export function parseArgs(argv: readonly string[], spec: ArgumentSpec): ParsedArgs {
  const takesValue = new Set([...spec.required, ...spec.optional]);
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      if (positionals.length >= spec.positionals.length) {
        throw new ArgumentError(`${quoted(arg)}: unexpected argument`);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.switches.includes(flag)) {
      if (eq > 0) throw new ArgumentError(`${flag}: takes no value`);
      if (switches.has(flag)) throw new ArgumentError(`${flag}: given twice`);
      switches.add(flag);
      continue;
    }
    if (!takesValue.has(flag)) throw new ArgumentError(`${printable(flag)}: unknown option`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new ArgumentError(`${flag}: needs a value`);
      }
      i++;
    }
    if (values.has(flag)) throw new ArgumentError(`${flag}: given twice`);
    values.set(flag, value);
  }
  const missing = spec.positionals[positionals.length];
  if (missing !== undefined) throw new ArgumentError(`${missing}: missing`);
  for (const flag of spec.required) {
    if (!values.has(flag)) throw new ArgumentError(`${flag}: missing`);
  }
  for (const group of spec.exclusive ?? []) {
    const given = group.filter((f) => values.has(f));
    if (given.length > 1) throw new ArgumentError(`${given.join(' and ')}: give only one`);
  }
  return { positionals, values, switches };
}
