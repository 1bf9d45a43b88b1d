import { connect } from 'node:net';

/**
 * Where the real infrastructure is, for tests. KAFKA_BROKERS / CASSANDRA_CONTACT_POINTS
 * name it; otherwise the addresses `npm run infra:up` uses. With REQUIRE_INFRA=1 (CI) a
 * missing service fails the suite instead of skipping it.
 */

export const requireInfra = process.env.REQUIRE_INFRA === '1';

export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export const cassandraContactPoints = (process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export function reachable(
  hostPort: string,
  defaultPort: number,
  timeoutMs = 1500,
): Promise<boolean> {
  const [host, port] = splitHostPort(hostPort, defaultPort);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function splitHostPort(hostPort: string, defaultPort: number): [string, number] {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) return [hostPort, defaultPort];
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

export interface InfraAvailability {
  available: boolean;
  /** Why the suite is skipped; undefined when available. */
  reason?: string;
}

async function availability(
  name: string,
  hostPort: string,
  port: number,
): Promise<InfraAvailability> {
  if (await reachable(hostPort, port)) return { available: true };
  const reason = `${name} is not reachable at ${hostPort} (start it with \`npm run infra:up\`)`;
  if (requireInfra) throw new Error(`REQUIRE_INFRA=1 but ${reason}`);
  return { available: false, reason };
}

export const kafka = () => availability('Kafka', kafkaBrokers[0] ?? '', 9092);
export const cassandra = () => availability('Cassandra', cassandraContactPoints[0] ?? '', 9042);

/** Polls until check() returns a value other than undefined/false, or fails at the deadline. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  /** What is awaited, for the timeout message (a function: described at the deadline). */
  what: string | (() => string),
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      const awaited = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${awaited}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const uniqueName = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Awaits `p`, or fails at the deadline naming what was awaited: a hang says where it is. */
export async function within<T>(p: Promise<T>, what: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
