import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDbcPath } from '../../src/can/mapping.js';
import { parseSimulateDeviceArgs } from '../../src/cli/simulate-device-args.js';
import { loadDbc, readMapping, readScenario } from '../../src/cli/simulate-device-inputs.js';
import { builtInScenarios } from '../../src/model/scenario-file.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sim-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const args = (...argv: string[]) =>
  parseSimulateDeviceArgs(['--candump', 'x', '--duration-s', '1', ...argv]);

describe('readScenario', () => {
  it('should take a built-in scenario with the seed asked for', () => {
    const scenario = readScenario(args('--scenario', 'crash-front', '--seed', '9'));
    expect(scenario).toEqual({ ...builtInScenarios['crash-front'], seed: 9 });
  });

  it('should read a scenario file, and name what is wrong with one', () => {
    const good = file('good.json', JSON.stringify({ profile: 'highway' }));
    expect(readScenario(args('--scenario', good))).toMatchObject({ profile: 'highway', seed: 1 });
    expect(() => readScenario(args('--scenario', 'nowhere'))).toThrow(
      /^--scenario: "nowhere" is neither a built-in scenario \(city, .*\) nor a file$/,
    );
    expect(() => readScenario(args('--scenario', join(dir, 'missing.json')))).toThrow(
      /^--scenario: cannot read .*missing\.json \(ENOENT\)$/,
    );
    const broken = file('broken.json', '{');
    expect(() => readScenario(args('--scenario', broken))).toThrow(/^--scenario: .* is not JSON/);
  });
});

describe('loadDbc and readMapping', () => {
  it('should load the demo DBC, and name a DBC that does not load', async () => {
    expect((await loadDbc(demoDbcPath)).messages.length).toBeGreaterThan(0);
    await expect(loadDbc(join(dir, 'missing.dbc'))).rejects.toThrow(/^--dbc: .*missing\.dbc: /);
  });

  it('should read a mapping of catalogue signals, and say which entry is wrong', () => {
    const entry = { signal: 'Vehicle.Speed', message: 'M', dbcSignal: 'S' };
    expect(readMapping(file('map.json', JSON.stringify([entry])))).toEqual([entry]);
    expect(() => readMapping(file('obj.json', '{}'))).toThrow(/is not a JSON array$/);
    expect(() => readMapping(file('bad.json', JSON.stringify([entry, { signal: 1 }])))).toThrow(
      '--can-mapping: entry 2 is not {"signal", "message", "dbcSignal"}',
    );
    const unknown = file('vss.json', JSON.stringify([{ ...entry, signal: 'Vehicle.Warp' }]));
    expect(() => readMapping(unknown)).toThrow(
      '--can-mapping: entry 1: Vehicle.Warp is not a catalogue (VSS) signal',
    );
  });
});
