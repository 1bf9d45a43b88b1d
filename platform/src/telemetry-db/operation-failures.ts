import { type TelemetryDbOperation, telemetryDbOperations } from './port/index.js';

/**
 * Makes every TelemetryDb operation of an adapter class fail only in the way `toError` says, in one
 * place rather than a try/catch in each method: whatever an operation throws or rejects with
 * (a driver's error on this thread, or one a reader thread passed on) goes through `toError`
 * with the adapter and the operation's name. Operations the class does not implement (the
 * optional ones) are left out. Applied once, to the class's prototype, when its module loads.
 */
export function classifyOperationFailures<T extends object>(
  adapter: { prototype: T },
  toError: (self: T, operation: TelemetryDbOperation, err: unknown) => Error,
): void {
  const proto = adapter.prototype as Record<string, unknown>;
  for (const operation of telemetryDbOperations) {
    const method = proto[operation];
    if (typeof method !== 'function') continue;
    Object.defineProperty(proto, operation, {
      configurable: true,
      writable: true,
      enumerable: false,
      // Named as the operation, so stacks and profiles still say which one ran.
      value: {
        async [operation](this: T, ...args: unknown[]) {
          try {
            return await method.apply(this, args);
          } catch (err) {
            throw toError(this, operation, err);
          }
        },
      }[operation],
    });
  }
}
