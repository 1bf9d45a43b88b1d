import { afterEach } from 'vitest';
import type { TelemetryDb } from '../../../src/telemetry-db/port/index.js';

/** An adapter the contract runs against. */
export interface Adapter {
  name: string;
  /** Opens the adapter; opening again after close() reaches the same data. */
  open(): Promise<TelemetryDb>;
  skip?: string | undefined;
}

/**
 * Opens the adapter for the tests of the describe it is called in: whatever a test opened is
 * closed after it.
 */
export function openedPerTest(adapter: Adapter): () => Promise<TelemetryDb> {
  const open: TelemetryDb[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async () => {
    const s = await adapter.open();
    open.push(s);
    return s;
  };
}

export const day0 = Date.UTC(2026, 10, 20);

/**
 * Reads of more rows than one page: Cassandra's driver answers 5,000 rows a page by default,
 * and a read that stops at the first page loses the rest. Each part's "more than one page"
 * cases put more than a page into one partition (one day of one signal, one day of alerts, …)
 * on both adapters.
 */
export const PAGE_PLUS = 5_050;
/** In the past: no row is further ahead of now than the devices' clocks may be. */
export const bigDay = Date.UTC(2026, 2, 3);

/** Runs op over the items, `limit` at a time. */
export async function each<T>(
  items: readonly T[],
  limit: number,
  op: (item: T) => Promise<unknown>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await op(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
