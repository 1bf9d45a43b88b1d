// What several bench suites need: whether a service answers, and a free port.
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

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
