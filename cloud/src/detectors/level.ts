/**
 * A condition on one signal with hysteresis and dwell times: it opens once the signal has been
 * past the enter threshold for `enterForMs`, and closes once it has been back past the exit
 * threshold for `exitForMs`. Between the two thresholds nothing changes, so a reading that
 * hovers around one threshold does not flap. Pure.
 */

export interface LevelRule {
  /** True when a value is past the enter threshold (e.g. v >= 110). */
  enters(value: number): boolean;
  /** True when a value is back past the exit threshold (e.g. v <= 100). */
  exits(value: number): boolean;
  enterForMs: number;
  exitForMs: number;
}

export interface LevelState {
  readonly open: boolean;
  /** Since when the values have been pointing towards the other state (epoch ms). */
  readonly pendingSinceMs?: number;
  /** The most extreme value of the current or pending episode. */
  readonly extreme?: number;
}

export const closedLevel: LevelState = { open: false };

export type LevelChange = { kind: 'opened' | 'closed'; sinceMs: number; extreme: number };

/**
 * One sample through the rule. `moreExtreme` picks the value to keep as evidence (the
 * highest for overheat, the lowest for low fuel).
 */
export function stepLevel(
  rule: LevelRule,
  state: LevelState,
  timeMs: number,
  value: number,
  moreExtreme: (a: number, b: number) => number,
): { state: LevelState; change?: LevelChange } {
  const towards = state.open ? rule.exits(value) : rule.enters(value);
  if (!towards) {
    // Back on the current side: a pending change is called off.
    return {
      state: state.open
        ? { open: true, extreme: moreExtreme(state.extreme ?? value, value) }
        : { open: false },
    };
  }
  const sinceMs = state.pendingSinceMs ?? timeMs;
  const extreme = state.open ? value : moreExtreme(state.extreme ?? value, value);
  const dwell = state.open ? rule.exitForMs : rule.enterForMs;
  if (timeMs - sinceMs < dwell) {
    return {
      state: {
        open: state.open,
        pendingSinceMs: sinceMs,
        extreme: state.open ? (state.extreme ?? value) : extreme,
      },
    };
  }
  if (state.open) {
    return { state: { open: false }, change: { kind: 'closed', sinceMs, extreme: value } };
  }
  return { state: { open: true, extreme }, change: { kind: 'opened', sinceMs, extreme } };
}
