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
