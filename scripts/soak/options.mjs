// The soak script's command line.
import { parseArgs } from 'node:util';

export const usage =
  'usage: node scripts/soak.mjs [--vehicles 1000] [--minutes 10] [--processors 2] [--batch-interval-ms 5000] [--keep]\n';

/**
 * The run's options from `args` — or, for --help or a number that is not positive, what to
 * print and the exit code. An unknown option throws (node's parseArgs, strict).
 */
export function soakOptions(args) {
  const { values: opts } = parseArgs({
    args,
    options: {
      vehicles: { type: 'string', default: '1000' },
      minutes: { type: 'string', default: '10' },
      processors: { type: 'string', default: '2' },
      'batch-interval-ms': { type: 'string', default: '5000' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (opts.help) return { exit: 0, stdout: usage };
  const options = {
    vehicles: Number(opts.vehicles),
    minutes: Number(opts.minutes),
    processors: Number(opts.processors),
    batchIntervalMs: Number(opts['batch-interval-ms']),
    keep: opts.keep,
  };
  for (const [flag, v] of [
    ['--vehicles', options.vehicles],
    ['--minutes', options.minutes],
    ['--processors', options.processors],
    ['--batch-interval-ms', options.batchIntervalMs],
  ]) {
    if (!Number.isFinite(v) || v <= 0) {
      return { exit: 2, stderr: `soak: ${flag} must be a positive number\n` };
    }
  }
  return { options };
}
