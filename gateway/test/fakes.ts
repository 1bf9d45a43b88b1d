import { EventEmitter } from 'node:events';
import { createLogger, type Logger, Registry } from '@fleetline/platform';
import type { Client } from 'aedes';
import { type GatewayMetrics, gatewayMetrics } from '../src/gateway-metrics.js';

/**
 * Stand-ins for unit tests of the gateway's parts without sockets, the way aedes tests its
 * own hooks: plain client objects, callbacks, and the gateway's real metrics on a registry of
 * the test's own.
 */

/** A client as aedes hands it to hooks: its id and connection stream, and a close to watch. */
export function fakeClient(id: string, conn: object = {}): Client & { closedByGateway: boolean } {
  const client = Object.assign(new EventEmitter(), {
    id,
    conn,
    clean: true,
    closedByGateway: false,
    close() {
      client.closedByGateway = true;
    },
  });
  return client as unknown as Client & { closedByGateway: boolean };
}

export interface LoggedLine {
  level: 'warn' | 'info';
  key: string;
  fields: Record<string, unknown>;
  msg: string;
}

/** A refusal log that keeps every line (no limits). */
export function refusalRecorder() {
  const lines: LoggedLine[] = [];
  return {
    lines,
    warn: (key: string, fields: Record<string, unknown>, msg: string) =>
      void lines.push({ level: 'warn', key, fields, msg }),
    info: (key: string, fields: Record<string, unknown>, msg: string) =>
      void lines.push({ level: 'info', key, fields, msg }),
  };
}

/** The gateway's metrics on a registry of their own, and a reader of their values. */
export function testMetrics(): {
  registry: Registry;
  m: GatewayMetrics;
  counts(metric: string): Promise<Record<string, number>>;
} {
  const registry = new Registry();
  return {
    registry,
    m: gatewayMetrics(registry),
    /** A metric's values by its labels' values, joined by '/' ('' for none). */
    async counts(metric) {
      const values = (await registry.getSingleMetric(metric)?.get())?.values ?? [];
      return Object.fromEntries(
        values.map((v) => [Object.values(v.labels).join('/'), v.value] as const),
      );
    },
  };
}

export const silentLogger: Logger = createLogger('gateway-test', 'silent');

/** A callback that resolves with what it was called with. */
export function callback<A extends unknown[]>(): { fn: (...args: A) => void; called: Promise<A> } {
  let resolve!: (args: A) => void;
  const called = new Promise<A>((r) => {
    resolve = r;
  });
  return { fn: (...args: A) => resolve(args), called };
}
