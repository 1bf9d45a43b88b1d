import type { DeviceStatusRow, EventRow, SampleRow } from '@fleetline/platform';
import type { AlertChange } from '@fleetline/proto';
import type { MessageEffects } from './vehicle-step.js';

/**
 * The effects of the messages a vehicle actor handled since its last flush, gathered to be
 * written at once: one write of each kind for a batch of messages, not one per message.
 */
export class PendingEffects {
  alerts: AlertChange[] = [];
  samples: SampleRow[] = [];
  /** The newest sample of each signal (a batch holds a series per signal). */
  latest = new Map<number, SampleRow>();
  events: EventRow[] = [];
  /** The newest status report; each one replaces the last. */
  status: DeviceStatusRow | undefined;
  lastSeenMs: number | undefined;
  /** Whether anything needs writing, the snapshot included (see Stepped.changed). */
  changed = false;

  /**
   * Takes in the effects gathered by `later` (of messages handled after these): their rows
   * join these, the newer latest values and status win. Alert changes are left out: they are
   * published before the rest, on their own.
   */
  merge(later: PendingEffects): void {
    for (const row of later.samples) this.samples.push(row);
    for (const [signalId, row] of later.latest) {
      const latest = this.latest.get(signalId);
      if (!latest || latest.timeMs <= row.timeMs) this.latest.set(signalId, row);
    }
    this.events.push(...later.events);
    if (later.status) this.status = later.status;
    if (later.lastSeenMs !== undefined) {
      this.lastSeenMs = Math.max(this.lastSeenMs ?? 0, later.lastSeenMs);
    }
    if (later.changed) this.changed = true;
  }

  add(effects: MessageEffects, changed: boolean): void {
    this.alerts.push(...effects.alerts);
    for (const row of effects.samples) {
      this.samples.push(row);
      const latest = this.latest.get(row.signalId);
      if (!latest || latest.timeMs <= row.timeMs) this.latest.set(row.signalId, row);
    }
    this.events.push(...effects.events);
    if (effects.status) this.status = effects.status;
    if (effects.heardAtMs !== undefined) {
      this.lastSeenMs = Math.max(this.lastSeenMs ?? 0, effects.heardAtMs);
    }
    if (changed) this.changed = true;
  }
}
