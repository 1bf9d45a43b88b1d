// Load for the API suite: closed loops of keep-alive requests (each loop sends its next
// request when the previous answer is in), and an open-loop rate of one kind of request.
import { Agent, request } from 'node:http';

/** One request; resolves with its status and latency in ms. */
export function send(agent, port, { method = 'GET', path, headers = {}, body }) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/**
 * `loops` closed loops of the request for `seconds`: requests answered per second, latency
 * percentiles, and how many answers were not 2xx (a benchmark of errors proves nothing).
 */
export async function closedLoops(port, req, { loops, seconds }) {
  const agent = new Agent({ keepAlive: true, maxSockets: loops });
  const latencies = [];
  let bad = 0;
  const until = Date.now() + seconds * 1000;
  const loop = async () => {
    while (Date.now() < until) {
      const r = await send(agent, port, req);
      if (r.status >= 300) bad++;
      latencies.push(r.ms);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: loops }, loop));
  const elapsed = (Date.now() - t0) / 1000;
  agent.destroy();
  return { perSecond: latencies.length / elapsed, ...percentiles(latencies), bad };
}

/**
 * Starts `perSecond` requests a second (not waiting for answers) until stopped; stopping
 * waits for the answers of those already sent.
 */
export function openLoop(port, req, perSecond) {
  const agent = new Agent({ keepAlive: true });
  const inFlight = new Set();
  let sent = 0;
  let bad = 0;
  const t0 = Date.now();
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - t0) / 1000) * perSecond);
    for (; sent < due; sent++) {
      const answered = send(agent, port, req).then(
        (r) => {
          if (r.status >= 300) bad++;
        },
        () => bad++,
      );
      inFlight.add(answered);
      answered.finally(() => inFlight.delete(answered));
    }
  }, 10);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      agent.destroy();
      return { sent, bad };
    },
  };
}

export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  return { p50: at(0.5), p99: at(0.99) };
}

/** closedLoops run in a child process (the server keeps its event loop to itself). */
export async function closedLoopsApart(port, req, opts) {
  const { fork } = await import('node:child_process');
  const child = fork(new URL('./load-child.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code === 0 || reject(new Error(`load generator exited ${code}`)));
    child.send({ port, req, opts });
  });
}
