import { DbcError } from '../errors.js';
import type { DbcWarning, MuxCondition, MuxRange } from './model.js';

/**
 * Works out which switch selects each signal of one message, the way cantools reads DBC
 * multiplexing (formats/dbc.py, _load_messages / _load_signals), with the ambiguous cases
 * cantools silently decodes as "always present" refused instead:
 *
 *   - Simple multiplexing: exactly one signal whose indicator ends in `M`. A signal `m<k>` is
 *     present when that switch equals k, or lies in one of its SG_MUL_VAL_ ranges (cantools
 *     unions the two).
 *   - Extended multiplexing: two or more switches (`M` and nested `m<k>M`). Then SG_MUL_VAL_
 *     alone says which switch selects a signal and for which values (cantools ignores the k
 *     of `m<k>` here); a switch without an SG_MUL_VAL_ line is a top-level switch.
 *
 * Refused (DbcError): `m<k>` in a message without a switch; `m<k>` with several switches and
 * no SG_MUL_VAL_; SG_MUL_VAL_ naming an unknown signal or a switch that is not a multiplexer
 * signal; the same signal listed twice; switches that select each other; empty ranges.
 */

export interface MuxIndicator {
  /** The selector value k of `m<k>`, if written. */
  readonly selector: number | undefined;
  /** Whether the indicator ends in `M` (this signal is a switch). */
  readonly isSwitch: boolean;
}

export interface MuxSignalInput {
  readonly name: string;
  readonly indicator: MuxIndicator | undefined;
  readonly line: number;
}

/** One SG_MUL_VAL_ line: `SG_MUL_VAL_ <msg id> <signal> <switch> <from>-<to>, ...;` */
export interface ExtendedMuxEntry {
  readonly signal: string;
  readonly switchName: string;
  readonly ranges: readonly MuxRange[];
  readonly line: number;
}

const INDICATOR = /^(?:M|m(\d+)(M?))$/;

/** Parses `M`, `m<k>` or `m<k>M`; undefined when the word is not an indicator. */
export function parseMuxIndicator(word: string): MuxIndicator | undefined {
  const m = INDICATOR.exec(word);
  if (!m) return undefined;
  if (m[1] === undefined) return { selector: undefined, isSwitch: true };
  return { selector: Number(m[1]), isSwitch: m[2] === 'M' };
}

export function formatMuxIndicator(indicator: MuxIndicator | undefined): string {
  if (!indicator) return '';
  return `${indicator.selector === undefined ? '' : `m${indicator.selector}`}${indicator.isSwitch ? 'M' : ''}`;
}

/** The message whose multiplexing is resolved, for errors and warnings. */
interface MuxScope {
  readonly messageName: string;
  readonly file: string;
  readonly warnings: DbcWarning[];
}

export function resolveMultiplexing(
  messageName: string,
  signals: readonly MuxSignalInput[],
  entries: readonly ExtendedMuxEntry[],
  file: string,
  warnings: DbcWarning[],
): Map<string, MuxCondition> {
  const scope: MuxScope = { messageName, file, warnings };
  const byName = new Map(signals.map((s) => [s.name, s]));
  const switches = signals.filter((s) => s.indicator?.isSwitch);
  const entryOf = checkedEntries(scope, byName, entries);
  if (switches.length === 0) {
    refuseSelectedSignals(scope, signals);
    return new Map();
  }
  if (switches.length === 1) {
    return simpleConditions(scope, switches[0] as MuxSignalInput, signals, entryOf);
  }
  const conditions = extendedConditions(scope, switches, signals, entryOf);
  refuseSwitchCycles(
    scope,
    conditions,
    (name) => entryOf.get(name)?.line ?? byName.get(name)?.line,
  );
  return conditions;
}

/** The SG_MUL_VAL_ lines by the signal they select, each checked. */
function checkedEntries(
  { messageName, file }: MuxScope,
  byName: ReadonlyMap<string, MuxSignalInput>,
  entries: readonly ExtendedMuxEntry[],
): Map<string, ExtendedMuxEntry> {
  const entryOf = new Map<string, ExtendedMuxEntry>();
  for (const entry of entries) {
    const signal = byName.get(entry.signal);
    if (!signal) {
      throw new DbcError(
        `SG_MUL_VAL_ names signal ${entry.signal}, which BO_ ${messageName} does not have`,
        file,
        entry.line,
      );
    }
    const switchSignal = byName.get(entry.switchName);
    if (!switchSignal?.indicator?.isSwitch) {
      throw new DbcError(
        `SG_MUL_VAL_ for ${entry.signal}: ${entry.switchName} is not a multiplexer switch (M) of BO_ ${messageName}`,
        file,
        entry.line,
      );
    }
    const earlier = entryOf.get(entry.signal);
    if (earlier) {
      throw new DbcError(
        `SG_MUL_VAL_ for ${entry.signal} in BO_ ${messageName} repeats line ${earlier.line}`,
        file,
        entry.line,
      );
    }
    for (const r of entry.ranges) {
      if (r.from > r.to) {
        throw new DbcError(
          `SG_MUL_VAL_ for ${entry.signal}: range ${r.from}-${r.to} is empty`,
          file,
          entry.line,
        );
      }
    }
    entryOf.set(entry.signal, entry);
  }
  return entryOf;
}

/** Without a switch, no signal may be multiplexed. */
function refuseSelectedSignals(
  { messageName, file }: MuxScope,
  signals: readonly MuxSignalInput[],
): void {
  for (const s of signals) {
    if (s.indicator) {
      throw new DbcError(
        `SG_ ${s.name} is multiplexed (${formatMuxIndicator(s.indicator)}) but BO_ ${messageName} has no multiplexer switch (M)`,
        file,
        s.line,
      );
    }
  }
}

/** cantools ignores SG_MUL_VAL_ for signals without an m<k> indicator: a warning says so. */
function ignoredEntry(scope: MuxScope, entry: ExtendedMuxEntry | undefined, name: string): void {
  if (!entry) return;
  scope.warnings.push({
    line: entry.line,
    message: `SG_MUL_VAL_ for ${name} ignored: the signal has no m<k> indicator`,
  });
}

/** One switch: `m<k>` is selected by k, and by the ranges of its SG_MUL_VAL_ if any. */
function simpleConditions(
  scope: MuxScope,
  root: MuxSignalInput,
  signals: readonly MuxSignalInput[],
  entryOf: ReadonlyMap<string, ExtendedMuxEntry>,
): Map<string, MuxCondition> {
  if (root.indicator?.selector !== undefined) {
    scope.warnings.push({
      line: root.line,
      message: `SG_ ${root.name} is marked ${formatMuxIndicator(root.indicator)} but is the only switch of BO_ ${scope.messageName}; read as the top-level switch`,
    });
  }
  const conditions = new Map<string, MuxCondition>();
  for (const s of signals) {
    const entry = entryOf.get(s.name);
    if (s === root || !s.indicator) {
      ignoredEntry(scope, entry, s.name);
      continue;
    }
    const selector = s.indicator.selector as number;
    const ranges: MuxRange[] = [{ from: selector, to: selector }, ...(entry?.ranges ?? [])];
    conditions.set(s.name, { switchName: root.name, ranges });
  }
  return conditions;
}

/** Several switches: SG_MUL_VAL_ alone says which switch selects a signal, and for which values. */
function extendedConditions(
  scope: MuxScope,
  switches: readonly MuxSignalInput[],
  signals: readonly MuxSignalInput[],
  entryOf: ReadonlyMap<string, ExtendedMuxEntry>,
): Map<string, MuxCondition> {
  const conditions = new Map<string, MuxCondition>();
  for (const s of signals) {
    const entry = entryOf.get(s.name);
    if (!s.indicator) {
      ignoredEntry(scope, entry, s.name);
      continue;
    }
    if (entry) {
      conditions.set(s.name, { switchName: entry.switchName, ranges: entry.ranges });
    } else if (s.indicator.selector !== undefined) {
      throw new DbcError(
        `SG_ ${s.name} is multiplexed (${formatMuxIndicator(s.indicator)}) but BO_ ${scope.messageName} has ${switches.length} switches (${switches.map((w) => w.name).join(', ')}) and no SG_MUL_VAL_ says which one selects it`,
        scope.file,
        s.line,
      );
    }
  }
  return conditions;
}

/** A switch selected by itself, directly or through other switches, is never decodable. */
function refuseSwitchCycles(
  { messageName, file }: MuxScope,
  conditions: ReadonlyMap<string, MuxCondition>,
  lineOf: (signal: string) => number | undefined,
): void {
  for (const start of conditions.keys()) {
    const seen = new Set<string>([start]);
    let at = conditions.get(start);
    while (at) {
      if (seen.has(at.switchName)) {
        throw new DbcError(
          `multiplexer switches of BO_ ${messageName} select each other (${[...seen].join(' -> ')} -> ${at.switchName})`,
          file,
          lineOf(start) ?? 0,
        );
      }
      seen.add(at.switchName);
      at = conditions.get(at.switchName);
    }
  }
}

/** Whether a switch value lies in one of the ranges. */
export function inMuxRanges(value: number, ranges: readonly MuxRange[]): boolean {
  for (const r of ranges) if (value >= r.from && value <= r.to) return true;
  return false;
}

/**
 * For each signal the index of its switch (-1 when it is always present), and an evaluation
 * order in which every switch comes before the signals it selects (the parser has refused
 * cycles).
 */
export function muxTree(
  signals: readonly { name: string; multiplexedBy: MuxCondition | undefined }[],
): {
  parent: number[];
  order: number[];
} {
  const index = new Map(signals.map((s, i) => [s.name, i]));
  const parent = signals.map((s) =>
    s.multiplexedBy ? (index.get(s.multiplexedBy.switchName) ?? -1) : -1,
  );
  const order: number[] = [];
  const placed = new Set<number>();
  const place = (i: number): void => {
    if (placed.has(i)) return;
    placed.add(i);
    const p = parent[i]!;
    if (p >= 0) place(p);
    order.push(i);
  };
  for (let i = 0; i < signals.length; i++) place(i);
  return { parent, order };
}
