// What the bench suites and the soak script share: whether a service answers, a free port, a
// keyspace gone, a PostgreSQL database of a run's own, Fleetline services (cloud, gateway) as
// child processes, and reading their counters.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cassandra from 'cassandra-driver';
import pg from 'pg';

/** True when something accepts TCP connections at host:port. */
export const reachable = (hostPort) =>
  new Promise((resolve) => {
    const [host, port] = hostPort.split(':');
    const s = createConnection({ host, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export async function freePort() {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Drops a bench run's keyspace (its data is of no use after the run). */
export async function dropKeyspace(contactPoints, keyspace) {
  const client = new cassandra.Client({ contactPoints, localDataCenter: 'datacenter1' });
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
  await client.shutdown();
}

/**
 * A new PostgreSQL database for a bench run, named `name` ([a-z0-9_]), on the server `adminUrl`
 * names as a role that may create databases. Returns its URL and drop(), which removes it and
 * ends whatever connections are still open to it.
 */
export async function createDatabase(adminUrl, name) {
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {}),
  };
}

/** host:port of a postgres:// URL, for reachable(). */
export const postgresHostPort = (url) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts one of Fleetline's services (e.g. `gateway/dist/main.js`) as a child process in a data
 * folder of its own; ready when `port` accepts. Keeps the last 20 kB of its output.
 */
export async function startService(name, script, port, env) {
  const dir = mkdtempSync(join(tmpdir(), `fleetline-${name}-`));
  const child = spawn(process.execPath, [join(root, script)], {
    env: { ...process.env, FLEETLINE_DATA_DIR: dir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d) => {
    out = (out + d).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!exited()) {
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!(await reachable(`127.0.0.1:${port}`))) {
    if (Date.now() > deadline || exited()) {
      await stop();
      throw new Error(`${name} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name, pid: child.pid, output: () => out, exited, stop };
}

/** Sum of a Prometheus counter's series (only those whose labels contain `part`, if given). */
export async function counter(url, name, part = '') {
  const text = await (await fetch(url)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (part && !line.includes(part)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return sum;
}

/** The environment that points a Fleetline service at Kafka, under a run's topic prefix. */
export const kafkaEnv = (brokers, prefix, partitions) => ({
  KAFKA_BROKERS: brokers.join(','),
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_REPLICATION_FACTOR: '1',
  LOG_PARTITIONS: String(partitions),
});

/**
 * The cloud service (processor, alert recorder, API) as its own process, its HTTP API on `port`
 * and its metrics at `metricsUrl` (the operations port, a free one), storing into `keyspace`
 * (which must exist) in processor group `group`, its alert book in the PostgreSQL database
 * `databaseUrl` (when not given: in SQLite in the process's own data folder, which nothing
 * else reads).
 */
export async function startCloud(
  name,
  port,
  { kafka, contactPoints, keyspace, group, databaseUrl },
) {
  const opsPort = await freePort();
  const service = await startService(name, 'cloud/dist/main.js', port, {
    ...kafka,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    CASSANDRA_CONTACT_POINTS: contactPoints.join(','),
    CASSANDRA_KEYSPACE: keyspace,
    CASSANDRA_REPLICATION_FACTOR: '1',
    PROCESSOR_GROUP: group,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    CLOUD_OPS_HOST: '127.0.0.1',
    CLOUD_OPS_PORT: String(opsPort),
  });
  return { ...service, metricsUrl: `http://127.0.0.1:${opsPort}/metrics` };
}

/** The MQTT gateway as its own process on `port`, open to any device. */
export function startGateway(port, kafka) {
  return startService('gateway', 'gateway/dist/main.js', port, {
    ...kafka,
    CASSANDRA_CONTACT_POINTS: '',
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(port),
    GATEWAY_HTTP_PORT: '0',
    DEVICE_AUTH: 'open',
    MQTT_CONNECT_RATE_PER_ADDRESS: '100000',
    // The load comes from one address, as fast as the gateway takes it: no per-device limits.
    MQTT_MAX_CONNECTIONS_PER_ADDRESS: '100000',
    MQTT_DEVICE_BYTES_PER_MINUTE: '1073741824',
  });
}
