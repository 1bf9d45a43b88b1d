import type { SampleRow, Store } from '@fleetline/platform';
import type { TelemetryBatch } from '@fleetline/proto';
import type { Actor } from './actors/actor-system.js';
import { withRetry } from './retry.js';

export interface TelemetryMessage {
  batch: TelemetryBatch;
  /** When the gateway received the batch (epoch ms). */
  receivedAtMs: number;
}

/**
 * One vehicle's actor. For now it stores the batch's samples and when the vehicle was last
 * heard from; both writes are idempotent, so a batch delivered twice leaves the same rows.
 */
export class VehicleActor implements Actor<TelemetryMessage> {
  constructor(
    readonly deviceId: string,
    private readonly store: Store,
  ) {}

  async receive({ batch, receivedAtMs }: TelemetryMessage): Promise<void> {
    const rows: SampleRow[] = batch.samples.map((s) => ({
      deviceId: this.deviceId,
      signalId: s.signalId,
      timeMs: s.timeMs,
      value: s.value,
    }));
    await withRetry(() => this.store.writeSamples(rows));
    await withRetry(() =>
      this.store.markSeen([{ deviceId: this.deviceId, lastSeenMs: receivedAtMs }]),
    );
  }
}
