// The soak's load: `fleetline simulate` as a child process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The simulator's arguments: `vehicles` sampling at 1 Hz for `minutes`, ramped 100 a second. */
export function simulatorArgs({ mqttPort, vehicles, minutes, batchIntervalMs, idPrefix }) {
  return [
    '--url',
    `mqtt://127.0.0.1:${mqttPort}`,
    '--vehicles',
    String(vehicles),
    '--ramp-per-s',
    '100',
    '--duration-s',
    String(Math.round(minutes * 60)),
    '--batch-interval-ms',
    String(batchIntervalMs),
    '--sample-interval-ms',
    '1000',
    '--id-prefix',
    idPrefix,
  ];
}

/** Runs `fleetline simulate`, its progress passed through; resolves with its JSON summary. */
export async function simulate(args, log) {
  const child = spawn(process.execPath, [join(root, 'app/bin/fleetline.js'), 'simulate', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    for (const line of String(d).split('\n')) if (line.trim()) log(`simulate: ${line.trim()}`);
  });
  const [code] = await once(child, 'exit');
  const line = out.trim().split('\n').pop();
  try {
    return { code, summary: JSON.parse(line) };
  } catch {
    throw new Error(`fleetline simulate exited with ${code} and no summary:\n${out}`);
  }
}
