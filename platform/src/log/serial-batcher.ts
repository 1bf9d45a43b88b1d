import { Batcher } from '../batcher.js';
import type { ProduceRecord } from './port.js';

/**
 * Funnels concurrent send() calls into one produce request at a time: whatever arrived while a
 * request was in flight goes out together in the next one. One request in flight keeps the
 * idempotent producer's per-partition sequence numbers in order (concurrent requests drew
 * OUT_OF_ORDER_SEQUENCE_NUMBER from the broker) and batches naturally under load. A request
 * starts at once when none is in flight (no wait for the turn: a lone send is not delayed).
 */
export class SerialBatcher {
  private readonly batcher: Batcher<ProduceRecord>;

  constructor(produce: (records: ProduceRecord[]) => Promise<void>, maxRecords = 2000) {
    this.batcher = new Batcher(produce, {
      maxInFlight: 1,
      maxItems: maxRecords,
      waitForTurn: false,
    });
  }

  send(records: readonly ProduceRecord[]): Promise<void> {
    return this.batcher.add(records);
  }

  /** Resolves once no request is in flight and none waits. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
