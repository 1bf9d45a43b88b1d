import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * The agent's Prometheus metrics, on a registry of its own. Rates (frames/s, signals/s) come
 * from the counters via rate() on the scraping side; process metrics (RSS, CPU) come from
 * prom-client's defaults. Each agent gets a new registry, so starting two in one process (the
 * tests do) never registers a name twice.
 */
export function agentMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    // In this order on the registry (and so in the scrape): readings, spool, uplink.
    ...readingMetrics(r),
    ...spoolMetrics(r),
    ...uplinkMetrics(r),
  };
}

export type AgentMetrics = ReturnType<typeof agentMetrics>;

/** What the inputs read, what the pipeline made of it, and what was bad. */
function readingMetrics(registers: Registry[]) {
  return {
    canFrames: new Counter({
      name: 'fleetline_edge_can_frames_total',
      help: 'CAN frames received',
      registers,
    }),
    readings: new Counter({
      name: 'fleetline_edge_readings_total',
      help: 'Values read from the inputs, by input',
      labelNames: ['input'],
      registers,
    }),
    samples: new Counter({
      name: 'fleetline_edge_signals_total',
      help: 'Catalogue signal samples produced',
      registers,
    }),
    collected: new Counter({
      name: 'fleetline_edge_samples_collected_total',
      help: 'Samples taken into telemetry by the collection policies',
      registers,
    }),
    inputErrors: new Counter({
      name: 'fleetline_edge_input_errors_total',
      help: 'Bad input (garbled lines, decode failures, unknown frames), by input and code',
      labelNames: ['input', 'code'],
      registers,
    }),
  };
}

/** What went into the spool, and what is in it. */
function spoolMetrics(registers: Registry[]) {
  return {
    events: new Counter({
      name: 'fleetline_edge_events_total',
      help: 'Events spooled, by kind',
      labelNames: ['kind'],
      registers,
    }),
    troubleCodesLeftOut: new Counter({
      name: 'fleetline_edge_trouble_codes_left_out_total',
      help: 'Trouble codes read from the vehicle but not sent: past the 128 one event carries',
      registers,
    }),
    batches: new Counter({
      name: 'fleetline_edge_batches_total',
      help: 'Telemetry batches spooled',
      registers,
    }),
    spoolDepth: new Gauge({
      name: 'fleetline_edge_spool_depth',
      help: 'Messages waiting in the spool, by kind',
      labelNames: ['kind'],
      registers,
    }),
    spoolBytes: new Gauge({
      name: 'fleetline_edge_spool_bytes',
      help: 'Bytes of spool files',
      registers,
    }),
    spoolDropped: new Gauge({
      name: 'fleetline_edge_spool_dropped_total',
      help: 'Telemetry batches dropped because the spool was full',
      registers,
    }),
  };
}

/** The connection to the broker and what it acknowledged. */
function uplinkMetrics(registers: Registry[]) {
  return {
    uplinkOnline: new Gauge({
      name: 'fleetline_edge_uplink_online',
      help: '1 while connected to the broker',
      registers,
    }),
    uplinkInFlight: new Gauge({
      name: 'fleetline_edge_uplink_in_flight',
      help: 'Publishes awaiting PUBACK',
      registers,
    }),
    published: new Counter({
      name: 'fleetline_edge_published_total',
      help: 'Messages acknowledged by the broker',
      registers,
    }),
  };
}
