import { readFileSync } from 'node:fs';
import { type DbcDatabase, loadDbcFile } from '@fleetline/edge';
import { signalByName } from '@fleetline/proto';
import type { CanSignalMapping } from '../can/mapping.js';
import type { Scenario } from '../model/scenario.js';
import { builtInScenarios, parseScenario, ScenarioError } from '../model/scenario-file.js';
import { ArgumentError } from './flags.js';
import type { SimulateDeviceArgs } from './simulate-device-args.js';

/**
 * What `fleetline simulate device` reads before it starts: the scenario, the DBC and the CAN
 * mapping. Whatever is wrong with them is an ArgumentError naming the flag.
 */

function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ArgumentError(
      `${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

function readJson(flag: string, path: string): unknown {
  const text = readText(flag, path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ArgumentError(`${flag}: ${path} is not JSON (${(err as Error).message})`);
  }
}

export function readScenario(args: SimulateDeviceArgs): Scenario {
  const builtIn = builtInScenarios[args.scenario];
  if (builtIn) return { ...builtIn, seed: args.seed };
  if (!/[./\\]/.test(args.scenario)) {
    throw new ArgumentError(
      `--scenario: "${args.scenario}" is neither a built-in scenario (${Object.keys(builtInScenarios).join(', ')}) nor a file`,
    );
  }
  try {
    return parseScenario(readJson('--scenario', args.scenario), { seed: args.seed });
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new ArgumentError(`--scenario: ${args.scenario}: ${err.message}`);
    throw err;
  }
}

export async function loadDbc(path: string): Promise<DbcDatabase> {
  try {
    return await loadDbcFile(path);
  } catch (err) {
    throw new ArgumentError(`--dbc: ${path}: ${(err as Error).message}`);
  }
}

export function readMapping(path: string): CanSignalMapping[] {
  const raw = readJson('--can-mapping', path);
  if (!Array.isArray(raw)) throw new ArgumentError(`--can-mapping: ${path} is not a JSON array`);
  return raw.map((m: unknown, i) => {
    const e = m as Record<string, unknown>;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.signal !== 'string' ||
      typeof e.message !== 'string' ||
      typeof e.dbcSignal !== 'string'
    ) {
      throw new ArgumentError(
        `--can-mapping: entry ${i + 1} is not {"signal", "message", "dbcSignal"}`,
      );
    }
    if (!signalByName(e.signal)) {
      throw new ArgumentError(
        `--can-mapping: entry ${i + 1}: ${e.signal} is not a catalogue (VSS) signal`,
      );
    }
    return e as unknown as CanSignalMapping;
  });
}
