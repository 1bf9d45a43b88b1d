import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test-support/process.js';
import { loadAgentConfig } from '../../src/agent/config.js';
import { cleanupAfterEachTest, tempDir, writeConfig } from './support.js';

/**
 * The config is validated in a worker so that TypeBox and its module graph never load into the
 * long-running agent. Whatever the main thread loads — the CLI, the agent, its inputs, the CAN
 * source registry (whose kinds build their schemas with a builder handed in) — must not
 * import TypeBox.
 */

cleanupAfterEachTest();

const mainThreadModules = [
  'edge/dist/cli/main.js',
  'edge/dist/cli/run.js',
  'edge/dist/agent/agent.js',
  'edge/dist/agent/config-load.js',
  'edge/dist/agent/inputs.js',
  'edge/dist/agent/can-input.js',
  'edge/dist/can/source-registry.js',
];

describe('loadAgentConfigInWorker', () => {
  it("should keep TypeBox out of the agent's main thread", async () => {
    const dir = tempDir();
    // A resolve hook that refuses TypeBox, registered before anything is imported.
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `export async function resolve(specifier, context, next) {
        if (specifier === 'typebox' || specifier.startsWith('typebox/'))
          throw new Error('TypeBox imported by ' + context.parentURL);
        return next(specifier, context);
      }\n`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
    );
    const imports = mainThreadModules
      .map((m) => `await import(${JSON.stringify(join(repoRoot, m))});`)
      .join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      join(dir, 'register.mjs'),
      '--input-type=module',
      '-e',
      `${imports}\nconsole.log('loaded');`,
    ]);
    expect(stdout.trim()).toBe('loaded');
  });

  it('should give what loadAgentConfig gives, and the same problems', async () => {
    // The built module: its worker is a file next to it (config-worker.js), as in the CLI.
    const { loadAgentConfigInWorker } = (await import(
      join(repoRoot, 'edge/dist/agent/config-load.js')
    )) as typeof import('../../src/agent/config-load.js');
    const dir = tempDir();
    const good = writeConfig(dir, {
      deviceId: 'veh-1',
      uplink: { url: 'mqtt://gw' },
      spool: { dir: 'spool' },
      can: { source: { type: 'candump', file: 'drive.log', loop: true } },
      signals: [],
    });
    expect(await loadAgentConfigInWorker(good)).toEqual(loadAgentConfig(good));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        deviceId: 'veh-1',
        uplink: { url: 'mqtt://gw' },
        spool: { dir: 'spool' },
        can: { source: { type: 'candump', file: 'drive.log' } },
        obd: { pids: ['engine_speed'] },
        signals: [],
      }),
    );
    expect(() => loadAgentConfig(bad)).toThrow(/transmit \(slcan or socketcan\)/);
    await expect(loadAgentConfigInWorker(bad)).rejects.toMatchObject({
      problems: ['/obd: OBD-II polling needs a CAN source that can transmit (slcan or socketcan)'],
    });
  });
});
