import type { ProduceRecord } from './port.js';

/**
 * Funnels concurrent send() calls into one produce request at a time: whatever arrived while a
 * request was in flight goes out together in the next one. One request in flight keeps the
 * idempotent producer's per-partition sequence numbers in order (concurrent requests drew
 * OUT_OF_ORDER_SEQUENCE_NUMBER from the broker) and batches naturally under load.
 */
export class SerialBatcher {
  private pending: {
    records: readonly ProduceRecord[];
    resolve(): void;
    reject(e: Error): void;
  }[] = [];
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly produce: (records: ProduceRecord[]) => Promise<void>,
    private readonly maxRecords = 2000,
  ) {}

  send(records: readonly ProduceRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const batch: typeof this.pending = [];
    let count = 0;
    while (
      this.pending.length > 0 &&
      (batch.length === 0 || count + (this.pending[0]?.records.length ?? 0) <= this.maxRecords)
    ) {
      const next = this.pending.shift() as (typeof this.pending)[number];
      batch.push(next);
      count += next.records.length;
    }
    this.inFlight = this.produce(batch.flatMap((b) => b.records)).then(
      () => {
        for (const b of batch) b.resolve();
      },
      (err: Error) => {
        for (const b of batch) b.reject(err);
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      this.kick();
    });
  }

  async drain(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }
}
