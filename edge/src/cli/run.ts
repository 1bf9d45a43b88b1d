import type { CliIo } from './main.js';

/** `fleetline-edge run --config FILE` — the agent (being built). */
export async function runCommand(_args: readonly string[], io: CliIo): Promise<number> {
  io.stderr.write('fleetline-edge run: not available yet\n');
  return 1;
}
