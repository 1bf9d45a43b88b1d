import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * The agent's Prometheus metrics. Rates (frames/s, signals/s) come from the counters via
 * rate() on the scraping side; process metrics (RSS, CPU) come from prom-client's defaults.
 */
export function agentMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    canFrames: new Counter({
      name: 'fleetline_edge_can_frames_total',
      help: 'CAN frames received',
      registers: r,
    }),
    readings: new Counter({
      name: 'fleetline_edge_readings_total',
      help: 'Values read from the inputs, by input',
      labelNames: ['input'],
      registers: r,
    }),
    samples: new Counter({
      name: 'fleetline_edge_signals_total',
      help: 'Catalogue signal samples produced',
      registers: r,
    }),
    collected: new Counter({
      name: 'fleetline_edge_samples_collected_total',
      help: 'Samples taken into telemetry by the collection policies',
      registers: r,
    }),
    inputErrors: new Counter({
      name: 'fleetline_edge_input_errors_total',
      help: 'Bad input (garbled lines, decode failures, unknown frames), by input and code',
      labelNames: ['input', 'code'],
      registers: r,
    }),
    events: new Counter({
      name: 'fleetline_edge_events_total',
      help: 'Events spooled, by kind',
      labelNames: ['kind'],
      registers: r,
    }),
    troubleCodesLeftOut: new Counter({
      name: 'fleetline_edge_trouble_codes_left_out_total',
      help: 'Trouble codes read from the vehicle but not sent: past the 128 one event carries',
      registers: r,
    }),
    batches: new Counter({
      name: 'fleetline_edge_batches_total',
      help: 'Telemetry batches spooled',
      registers: r,
    }),
    spoolDepth: new Gauge({
      name: 'fleetline_edge_spool_depth',
      help: 'Messages waiting in the spool, by kind',
      labelNames: ['kind'],
      registers: r,
    }),
    spoolBytes: new Gauge({
      name: 'fleetline_edge_spool_bytes',
      help: 'Bytes of spool files',
      registers: r,
    }),
    spoolDropped: new Gauge({
      name: 'fleetline_edge_spool_dropped_total',
      help: 'Telemetry batches dropped because the spool was full',
      registers: r,
    }),
    uplinkOnline: new Gauge({
      name: 'fleetline_edge_uplink_online',
      help: '1 while connected to the broker',
      registers: r,
    }),
    uplinkInFlight: new Gauge({
      name: 'fleetline_edge_uplink_in_flight',
      help: 'Publishes awaiting PUBACK',
      registers: r,
    }),
    published: new Counter({
      name: 'fleetline_edge_published_total',
      help: 'Messages acknowledged by the broker',
      registers: r,
    }),
  };
}

export type AgentMetrics = ReturnType<typeof agentMetrics>;

/** Serves /metrics (and /healthz) on a small HTTP listener. */
export async function serveMetrics(
  registry: Registry,
  host: string,
  port: number,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    }
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
