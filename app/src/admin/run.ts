import type { CliIo } from '../cli.js';
import { adminMain } from './main.js';

/**
 * `fleetline orgs|stores|users|vehicles|tokens|groups …` on the records database of the configuration the
 * services read (environment, FLEETLINE_CONFIG): PostgreSQL when DATABASE_URL is set, else
 * the SQLite file in the data folder a running `npm start` uses.
 */
export async function adminCli(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { loadConfig, openRecordsDb } = await import('@fleetline/platform');
  const { appSettings } = await import('../settings.js');
  const { generatePassword, hashPassword } = await import('@fleetline/cloud/passwords');
  const { issueApiToken } = await import('@fleetline/cloud/api-tokens');
  return adminMain(argv, io, {
    // Read when a command runs, not for --help: a usage question needs no configuration.
    openRecords: () => openRecordsDb(loadConfig({ settings: appSettings, env })),
    passwords: { generate: generatePassword, hash: hashPassword },
    issueToken: issueApiToken,
  });
}
