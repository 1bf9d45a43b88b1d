import type { CliIo } from './main.js';

/** `fleetline-edge decode --dbc FILE [LOG|-]` (being built). */
export async function decodeCommand(_args: readonly string[], io: CliIo): Promise<number> {
  io.stderr.write('fleetline-edge decode: not available yet\n');
  return 1;
}
