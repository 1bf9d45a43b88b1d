import { catchStopSignals } from '@fleetline/platform/stop-signals';

// SIGINT and SIGTERM are caught before the rest loads (a second or two of it): from here on a
// stop during start-up ends the start cleanly instead of the process wherever it is.
catchStopSignals();
const { runService } = await import('@fleetline/platform');
const { startSystem } = await import('./embedded.js');
const { appSettings } = await import('./settings.js');

/** `npm start`: the embedded system with a simulated fleet; prints where everything is. */
await runService(
  'fleetline',
  async (config, logger, abort) => {
    const system = await startSystem(
      config,
      logger,
      (err) => {
        logger.fatal({ err }, 'processor stopped; exiting');
        process.exit(1);
      },
      abort,
    );
    // Stopped while starting, yet started: runService closes it at once; nothing to announce.
    if (abort.aborted) return () => system.close();
    const host = (h: string) => (h === '0.0.0.0' ? '127.0.0.1' : h);
    const fleet = system.fleet;
    process.stderr.write(
      [
        '',
        `Fleetline is running — log: ${system.logKind}, store: ${system.telemetryDbKind}, records: ${system.recordsDbKind}, data: ${config.dataDir}`,
        `  MQTT gateway   mqtt://${host(config.mqttHost)}:${system.mqttPort}` +
          (system.mqttsPort === undefined
            ? ''
            : ` and mqtts://${host(config.mqttHost)}:${system.mqttsPort}`),
        `  HTTP API       http://${host(config.httpHost)}:${system.httpPort}/api/vehicles`,
        `  Metrics        http://${host(config.httpHost)}:${system.httpPort}/metrics`,
        fleet
          ? `  Simulated      ${fleet.ids.length} vehicles (${fleet.ids[0]} … ${fleet.ids.at(-1)})`
          : '  Simulated      none (SIM_VEHICLES=0)',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    return () => system.close();
  },
  { settings: appSettings },
);
