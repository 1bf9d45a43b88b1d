import { runService } from '@fleetline/platform';
import { startSystem } from './embedded.js';
import { appSettings } from './settings.js';

/** `npm start`: the embedded system with a simulated fleet; prints where everything is. */
await runService(
  'fleetline',
  async (config, logger) => {
    const system = await startSystem(config, logger, (err) => {
      logger.fatal({ err }, 'processor stopped; exiting');
      process.exit(1);
    });
    const host = (h: string) => (h === '0.0.0.0' ? '127.0.0.1' : h);
    const fleet = system.fleet;
    process.stderr.write(
      [
        '',
        `Fleetline is running — log: ${system.logKind}, store: ${system.storeKind}, data: ${config.dataDir}`,
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
