import { type Sample, signalById, signalByName } from '@fleetline/proto';
import { type Compiled, compileCondition } from './expression.js';
import type { SampleHistory } from './ring-buffer.js';

/**
 * Condition triggers: when a condition over the current signal values turns true (rising
 * edge), and at least minIntervalMs after the previous trigger of the same name, the signals
 * from preMs before to postMs after are captured and handed over once the post window closes.
 */

export interface TriggerConfig {
  name: string;
  when: string;
  /** Minimum time between two triggers of this condition. */
  minIntervalMs?: number;
  preMs?: number;
  postMs?: number;
  /** VSS names to capture; default every signal. */
  signals?: string[];
}

export interface Capture {
  name: string;
  triggeredAtMs: number;
  window: Sample[];
}

interface Armed {
  config: Required<Omit<TriggerConfig, 'signals'>> & { signals: ReadonlySet<number> | undefined };
  condition: Compiled;
  wasTrue: boolean;
  lastTriggerMs: number;
  open: { triggeredAtMs: number; closesAtMs: number }[];
}

export class TriggerEngine {
  private readonly armed: Armed[];
  private readonly values = new Map<string, number>();

  constructor(
    configs: readonly TriggerConfig[],
    private readonly history: SampleHistory,
  ) {
    this.armed = configs.map((c) => {
      const condition = compileCondition(c.when);
      for (const s of condition.signals) {
        if (!signalByName(s)) throw new Error(`trigger ${c.name}: ${s} is not a catalogue signal`);
      }
      const signals = c.signals?.map((name) => {
        const s = signalByName(name);
        if (!s) throw new Error(`trigger ${c.name}: ${name} is not a catalogue signal`);
        return s.id;
      });
      return {
        config: {
          name: c.name,
          when: c.when,
          minIntervalMs: c.minIntervalMs ?? 60_000,
          preMs: c.preMs ?? 10_000,
          postMs: c.postMs ?? 10_000,
          signals: signals ? new Set(signals) : undefined,
        },
        condition,
        wasTrue: false,
        lastTriggerMs: Number.NEGATIVE_INFINITY,
        open: [],
      };
    });
  }

  /** How far back the history must reach when the longest window closes. */
  get historySpanMs(): number {
    return Math.max(0, ...this.armed.map((a) => a.config.preMs + a.config.postMs));
  }

  /**
   * Feeds a sample (already in the history); returns captures whose window closed. A window
   * closes at the first sample past its end, so samples of other signals at its very end
   * (read after the one that reached it) are in it too.
   */
  update(sample: Sample): Capture[] {
    const name = signalById(sample.signalId)?.name;
    if (name) this.values.set(name, sample.value);
    const lookup = (n: string) => this.values.get(n) ?? Number.NaN;
    for (const a of this.armed) {
      const isTrue = a.condition.evaluate(lookup);
      if (isTrue && !a.wasTrue && sample.timeMs - a.lastTriggerMs >= a.config.minIntervalMs) {
        a.lastTriggerMs = sample.timeMs;
        a.open.push({ triggeredAtMs: sample.timeMs, closesAtMs: sample.timeMs + a.config.postMs });
      }
      a.wasTrue = isTrue;
    }
    return this.close((end) => end < sample.timeMs);
  }

  /** Closes the post-trigger windows that end at or before nowMs (also when signals stop). */
  tick(nowMs: number): Capture[] {
    return this.close((end) => end <= nowMs);
  }

  private close(ended: (closesAtMs: number) => boolean): Capture[] {
    const done: Capture[] = [];
    for (const a of this.armed) {
      while (a.open.length > 0 && ended(a.open[0]?.closesAtMs ?? Number.POSITIVE_INFINITY)) {
        const w = a.open.shift() as { triggeredAtMs: number; closesAtMs: number };
        done.push({
          name: a.config.name,
          triggeredAtMs: w.triggeredAtMs,
          window: this.history.window(
            w.triggeredAtMs - a.config.preMs,
            w.closesAtMs,
            a.config.signals,
          ),
        });
      }
    }
    return done;
  }
}
