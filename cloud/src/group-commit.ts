/**
 * Group commit: many callers each write a few items; their items are gathered and written
 * together, so a thousand actors storing a batch each make a handful of store calls, not a
 * thousand (and the store is not asked for a thousand concurrent writes at once). While
 * `maxInFlight` writes are under way new items wait and join the next one, which is what makes
 * the batches grow with the load. Each caller's promise settles with the write that carried
 * its items.
 */

interface Batch<T> {
  items: T[];
  settle: { resolve(): void; reject(e: unknown): void }[];
}

export function groupCommit<T>(
  write: (items: T[]) => Promise<void>,
  options: { maxInFlight?: number; maxItems?: number } = {},
): (items: readonly T[]) => Promise<void> {
  const maxInFlight = options.maxInFlight ?? 4;
  const maxItems = options.maxItems ?? 20_000;
  // Waiting batches, oldest first; only the last one still takes items.
  const waiting: Batch<T>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.shift() as Batch<T>;
      inFlight++;
      write(batch.items)
        .then(
          () => {
            for (const s of batch.settle) s.resolve();
          },
          (err: unknown) => {
            for (const s of batch.settle) s.reject(err);
          },
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
  };
  const schedule = () => {
    if (scheduled || waiting.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    // After the current I/O callbacks: calls made in the same turn share one write.
    setImmediate(flush);
  };

  return (items) => {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let last = waiting[waiting.length - 1];
      if (!last || (last.items.length > 0 && last.items.length + items.length > maxItems)) {
        last = { items: [], settle: [] };
        waiting.push(last);
      }
      for (const item of items) last.items.push(item);
      last.settle.push({ resolve, reject });
      schedule();
    });
  };
}
