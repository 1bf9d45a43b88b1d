import type cassandra from 'cassandra-driver';
import { StoreRejectedError, StoreUnavailableError } from '../../errors.js';
import { classifyCassandraFailure } from '../../failures/cassandra.js';
import { storeError } from '../../failures/failure.js';

/** How the Cassandra adapter's modules talk to the driver: errors classified, reads paged. */

/** Requests in flight at once for a write of many rows. */
export const CONCURRENCY = 64;
/** Rows per page of rows larger than samples. */
export const ROW_PAGE = 1000;

/**
 * Runs a driver call. A failure becomes the TelemetryDb's error saying what could not be done and
 * why: StoreUnavailableError when trying again may succeed (no node answered, a timeout, an
 * overloaded node), StoreRejectedError when it cannot (the driver's class and code decide).
 */
export async function run<T>(op: () => Promise<T>, what: string): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof StoreUnavailableError || err instanceof StoreRejectedError) throw err;
    const failure = classifyCassandraFailure(err);
    throw storeError(failure, `Cassandra could not ${what}: ${failure.reason}`, err);
  }
}

/**
 * Runs a query page by page, handing each page's rows to `take` until it answers true or the
 * last page came. The driver answers one page per request (5,000 rows unless fetchSize says
 * otherwise) with the state to ask for the next; a read that ignores it silently loses the
 * rest of a large partition. The parameters stay the same for every page, as the paging state
 * requires. `take` may be async (a copy writes each page before reading the next).
 */
export async function eachPage(
  client: cassandra.Client,
  query: string,
  params: readonly unknown[],
  fetchSize: number,
  what: string,
  take: (rows: cassandra.types.Row[]) => unknown,
): Promise<void> {
  let pageState: string | undefined;
  do {
    const state = pageState;
    const page = await run(
      () =>
        client.execute(query, [...params], {
          fetchSize,
          ...(state === undefined ? {} : { pageState: state }),
        }),
      what,
    );
    if ((await take(page.rows)) === true) return;
    pageState = page.pageState ?? undefined;
  } while (pageState !== undefined);
}

/** Every row of a whole-table query, page by page. */
export async function allRows(
  client: cassandra.Client,
  query: string,
  what: string,
): Promise<cassandra.types.Row[]> {
  const all: cassandra.types.Row[] = [];
  await eachPage(client, query, [], ROW_PAGE, what, (rows) => {
    all.push(...rows);
  });
  return all;
}

/** Runs op over the items, at most `limit` at a time; rejects with the first failure. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  op: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await op(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** How writePartitions sizes its batches. */
export interface BatchSize {
  /** What one batch may hold, in the units of sizeOf. */
  budget: number;
  /** A statement's size (its rows, or its samples); default 1. */
  sizeOf?: (params: unknown[]) => number;
}

/**
 * Writes statements grouped by partition: each group goes out as unlogged batches within the
 * budget (one request, one mutation on one replica set, instead of one request per
 * statement: what a batch is for in Cassandra; batches across partitions would load the
 * coordinator instead), at most CONCURRENCY requests in flight. A statement larger than the
 * budget goes alone; a batch of one statement is a plain execute.
 */
export async function writePartitions(
  client: cassandra.Client,
  query: string,
  partitions: Iterable<unknown[][]>,
  size: BatchSize,
): Promise<void> {
  const sizeOf = size.sizeOf ?? (() => 1);
  const requests: unknown[][][] = [];
  for (const statements of partitions) {
    let batch: unknown[][] = [];
    let used = 0;
    for (const params of statements) {
      const n = sizeOf(params);
      if (batch.length > 0 && used + n > size.budget) {
        requests.push(batch);
        batch = [];
        used = 0;
      }
      batch.push(params);
      used += n;
    }
    if (batch.length > 0) requests.push(batch);
  }
  await inParallel(requests, CONCURRENCY, (batch) =>
    batch.length === 1
      ? client.execute(query, batch[0])
      : client.batch(
          batch.map((params) => ({ query, params })),
          { prepare: true, logged: false },
        ),
  );
}

/** A step of a schema migration: a CQL statement, or code (a copy into a new table). */
export type MigrationStep = string | ((client: cassandra.Client) => Promise<void>);
