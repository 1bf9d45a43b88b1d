// What several bench suites need: whether a service answers, a free port, a keyspace gone.
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import cassandra from 'cassandra-driver';

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
