import { catchStopSignals } from '@fleetline/platform/stop-signals';

// SIGINT and SIGTERM are caught before the rest loads (a second or two of it): from here on a
// stop during start-up ends the start cleanly instead of the process wherever it is.
catchStopSignals();
const { runService } = await import('@fleetline/platform');
const { startSystem } = await import('./embedded.js');
const { appSettings } = await import('./settings.js');
const { announcement } = await import('./announce.js');

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
    process.stderr.write(announcement(config, system));
    return () => system.close();
  },
  { settings: appSettings },
);
