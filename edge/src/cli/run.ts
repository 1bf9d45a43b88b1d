import { pino } from 'pino';
import { startAgent } from '../agent/agent.js';
import type { AgentConfig } from '../agent/config.js';
import { loadAgentConfigInWorker } from '../agent/config-load.js';
import { buildInputs } from '../agent/inputs.js';
import { EdgeError } from '../errors.js';
import type { CliIo } from './main.js';

/**
 * `fleetline-edge run --config FILE`: runs the agent until SIGINT/SIGTERM, then stops the
 * inputs, spools what is open and gives the uplink a few seconds to drain the spool.
 */
export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const i = args.indexOf('--config');
  const file = i >= 0 ? args[i + 1] : undefined;
  if (!file) {
    io.stderr.write('usage: fleetline-edge run --config FILE\n');
    return 2;
  }
  let config: AgentConfig;
  try {
    config = await loadAgentConfigInWorker(file);
  } catch (err) {
    io.stderr.write(`fleetline-edge: ${(err as Error).message}\n`);
    return 1;
  }
  const logger = pino({
    name: 'fleetline-edge',
    level: config.logLevel ?? 'info',
    base: { device: config.deviceId },
  });
  let agent: Awaited<ReturnType<typeof startAgent>>;
  try {
    agent = await startAgent(config, logger, buildInputs);
  } catch (err) {
    const known = err instanceof EdgeError;
    logger.fatal(known ? { code: err.code } : { err }, (err as Error).message);
    io.stderr.write(`fleetline-edge: ${(err as Error).message}\n`);
    return 1;
  }
  logger.info({ metricsPort: agent.metricsPort }, 'agent running');
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        resolve(130);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      agent.stop().then(
        () => resolve(0),
        (err: Error) => {
          logger.error({ err }, 'stop failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
