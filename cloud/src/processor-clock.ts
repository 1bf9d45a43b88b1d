import {
  type CallbackGuard,
  type Logger,
  partitionForKey,
  type VehicleSeen,
} from '@fleetline/platform';
import type { ProcessorMetrics } from './processor-metrics.js';
import { withRetry } from './retry.js';
import type { VehicleMessage, VehicleOutcome } from './vehicle-messages.js';

/**
 * The processor's clock: it ticks the live actors (offline, maintenance by date) and, less
 * often, sweeps the vehicles this processor owns but holds no actor for, so a vehicle that
 * went silent still opens its offline alert.
 *
 * Each live actor is ticked once per tickMs, but not all at once: every second a slice of them
 * (by a hash of the vehicle), so a fleet's ticks do not queue in front of its records. A round
 * still running when the next is due is not stacked on; a round that fails is logged and the
 * next one tries again.
 */

export interface ProcessorClockOptions {
  /** How often each live actor is ticked (0: never). */
  tickMs: number;
  /** How often the owned vehicles without a live actor are ticked too (0: never). */
  sweepMs: number;
  now(): number;
  /** Tells a vehicle's actor, once the mailboxes have room. */
  tell(deviceId: string, messages: readonly VehicleMessage[]): Promise<VehicleOutcome>;
  /** The vehicles with a live actor. */
  liveVehicles(): Iterable<string>;
  /** Every vehicle the telemetry database knows. */
  listVehicles(): Promise<readonly VehicleSeen[]>;
  /** Whether this processor owns the vehicle (partition-ownership.ts). */
  owns(deviceId: string): boolean;
  metrics: Pick<ProcessorMetrics, 'countOutcome' | 'clockFailures'>;
  log: Logger;
  /** Timer callbacks run under it. */
  guard: CallbackGuard;
}

export class ProcessorClock {
  constructor(private readonly o: ProcessorClockOptions) {}

  /** Ticks these vehicles now; a vehicle whose tick fails is counted and logged. */
  async tickAll(keys: Iterable<string>): Promise<void> {
    const nowMs = this.o.now();
    const ticks: Promise<void>[] = [];
    for (const deviceId of keys) {
      ticks.push(
        this.o
          .tell(deviceId, [{ kind: 'tick', nowMs }])
          .then(this.o.metrics.countOutcome, (err: Error) => {
            this.o.metrics.clockFailures.inc();
            this.o.log.warn({ deviceId, err: err.message }, 'clock tick not handled');
          }),
      );
    }
    await Promise.all(ticks);
  }

  /** Ticks every vehicle this processor owns, live or not. */
  async sweep(): Promise<void> {
    const vehicles = await withRetry(() => this.o.listVehicles());
    await this.tickAll(vehicles.map((v) => v.deviceId).filter((id) => this.o.owns(id)));
  }

  /** Starts the timers; returns what stops them. */
  start(): () => void {
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, run: () => Promise<void>) => {
      if (ms > 0) timers.push(repeat(ms, run, this.o.guard, this.o.log));
    };
    if (this.o.tickMs > 0) {
      const { sliceMs, slices } = tickSlices(this.o.tickMs);
      let slice = 0;
      every(sliceMs, () =>
        this.tickAll(inSlice([...this.o.liveVehicles()], slice++ % slices, slices)),
      );
    }
    every(this.o.sweepMs, () => this.sweep());
    return () => {
      for (const t of timers) clearInterval(t);
    };
  }
}

/** A tick period cut into slices of at most a second. */
export function tickSlices(tickMs: number): { sliceMs: number; slices: number } {
  const sliceMs = Math.min(1000, tickMs);
  return { sliceMs, slices: Math.max(1, Math.round(tickMs / sliceMs)) };
}

/** The vehicles ticked in slice `slice` of `slices` (each vehicle in one slice, by hash). */
export function inSlice(keys: readonly string[], slice: number, slices: number): string[] {
  return keys.filter((k) => partitionForKey(k, slices) === slice);
}

/**
 * Runs `run` every `ms` under the guard, one round at a time: a slow round is not stacked
 * on. The timer does not keep the process alive.
 */
function repeat(
  ms: number,
  run: () => Promise<void>,
  guard: CallbackGuard,
  log: Logger,
): NodeJS.Timeout {
  let running = false;
  const t = setInterval(
    guard.wrap('processor.clock', () => {
      if (running) return; // a slow round is not stacked on
      running = true;
      // A round that throws at once is a failed round like one that rejects.
      return Promise.resolve()
        .then(run)
        .catch((err: Error) => log.warn({ err: err.message }, 'clock round failed'))
        .finally(() => {
          running = false;
        });
    }),
    ms,
  );
  t.unref();
  return t;
}
