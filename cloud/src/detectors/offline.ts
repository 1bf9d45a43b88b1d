import type { Detector } from './detector.js';
import type { Detected } from './findings.js';

/**
 * A vehicle not heard from for too long (`afterMs`, 48 h by default: a car parked over a
 * weekend is normal; a tracker that went silent for longer has lost power or coverage, or was
 * removed). Checked on clock ticks; cleared when the vehicle is heard from again. Pure.
 */

export interface OfflineState {
  readonly lastSeenMs?: number;
  readonly open: boolean;
}

export type OfflineInput = { kind: 'seen'; timeMs: number } | { kind: 'tick'; timeMs: number };

export function offline(afterMs = 48 * 3_600_000) {
  return {
    initial: { open: false } as OfflineState,
    step(state: OfflineState, input: OfflineInput): Detected<OfflineState> {
      if (input.kind === 'seen') {
        const lastSeenMs = Math.max(state.lastSeenMs ?? input.timeMs, input.timeMs);
        return {
          state: { lastSeenMs, open: false },
          findings: {
            raised: [],
            cleared: state.open
              ? [
                  {
                    type: 'offline',
                    key: 'offline',
                    timeMs: input.timeMs,
                    evidence: { backAt: input.timeMs },
                  },
                ]
              : [],
          },
        };
      }
      if (
        state.open ||
        state.lastSeenMs === undefined ||
        input.timeMs - state.lastSeenMs < afterMs
      ) {
        return { state, findings: { raised: [], cleared: [] } };
      }
      // Raised at the moment the silence became too long, not at the tick that noticed it:
      // every tick, on whichever processor, raises it with the same time and alert id.
      return {
        state: { ...state, open: true },
        findings: {
          raised: [
            {
              type: 'offline',
              key: 'offline',
              severity: 'warning',
              timeMs: state.lastSeenMs + afterMs,
              evidence: {
                lastSeenMs: state.lastSeenMs,
                hoursSilent: Math.floor(afterMs / 3_600_000),
              },
              clearsWhen: 'the vehicle is heard from again',
            },
          ],
          cleared: [],
        },
      };
    },
  };
}

/** Data and events are the vehicle heard from, at the time the gateway received them. */
export function offlineDetector(afterMs?: number): Detector<OfflineState, 'offline'> {
  const rule = offline(afterMs);
  return {
    key: 'offline',
    initial: () => rule.initial,
    samples: (state, _samples, receivedAtMs) =>
      rule.step(state, { kind: 'seen', timeMs: receivedAtMs }),
    event: (state, _event, receivedAtMs) =>
      rule.step(state, { kind: 'seen', timeMs: receivedAtMs }),
    tick: (state, nowMs) => rule.step(state, { kind: 'tick', timeMs: nowMs }),
    seen: (state, timeMs) => rule.step(state, { kind: 'seen', timeMs }),
  };
}
