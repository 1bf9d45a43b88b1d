#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only <suite>] [-- --out <dir>]`: runs every benchmark
// suite, prints a Markdown table on stdout and writes <dir>/<timestamp>.json (dir defaults to
// bench/results):
//   { "machine": { cpu, cores, memoryGiB, node, os }, "mode", "durationMs",
//     "suites": [ { name, durationMs, results, skipped, error? } ],
//     "results": [ { "suite", "metric", "unit", "ours", "reference", "referenceLabel",
//                    "ratio", "target", "pass", "note" } ] }
// Each result states what it is compared with: a reference measured in the same run, or a
// physical limit (a saturated CAN bus), and the target the issue set. `ours`, `reference` and
// `ratio` are numbers or null (never NaN or Infinity); `ratio` is ours / reference; `target` is
// a string ('—' where none is set); `pass` is a boolean.
// Progress, each suite's duration and the total go to stderr, ending with the line
// `bench: wrote <path of the JSON>`. A suite that needs a service which is not reachable
// returns no results (it says so); a suite that throws is reported, the others still run, the
// JSON is still written and the exit code is 1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suites = ['edge', 'kafka', 'gateway', 'cloud', 'actors', 'latency', 'capacity', 'api'];

function parseArgs(argv) {
  const opts = { quick: false, only: undefined, out: join(here, 'results') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--only') opts.only = value();
    else if (a.startsWith('--only=')) opts.only = a.slice('--only='.length);
    else if (a === '--out') opts.out = resolve(value());
    else if (a.startsWith('--out=')) opts.out = resolve(a.slice('--out='.length));
    else usage(`unknown argument ${a}`);
  }
  if (opts.only !== undefined && !suites.includes(opts.only)) {
    usage(`unknown suite ${opts.only} (one of ${suites.join(', ')})`);
  }
  return opts;
}

function usage(problem) {
  process.stderr.write(
    `bench: ${problem}\nusage: node bench/run.mjs [--quick] [--only <${suites.join('|')}>] [--out <dir>]\n`,
  );
  process.exit(2);
}

const { quick, only, out: outDir } = parseArgs(process.argv.slice(2));

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  os: `${process.platform} ${release()}`,
};

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One result in the shape the JSON promises, whatever a suite left out. */
function normalise(suite, r) {
  const ours = num(r.ours);
  const reference = num(r.reference);
  const ratio = r.ratio === undefined && ours !== null && reference ? ours / reference : r.ratio;
  return {
    suite,
    ...r,
    metric: String(r.metric ?? '').trim() || `${suite}: unnamed metric`,
    ours,
    reference,
    ratio: num(ratio),
    target: r.target === undefined || r.target === null ? '—' : String(r.target),
    pass: r.pass === true,
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();
const results = [];
const ran = [];
for (const name of suites) {
  if (only && only !== name) continue;
  process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''}\n`);
  const t0 = performance.now();
  const entry = { name, durationMs: 0, results: 0, skipped: false };
  try {
    const suite = await import(join(here, 'suites', `${name}.mjs`));
    const rows = await suite.run({ quick, log: (m) => process.stderr.write(`  ${m}\n`) });
    for (const r of rows ?? []) results.push(normalise(name, r));
    entry.results = rows?.length ?? 0;
    entry.skipped = entry.results === 0;
  } catch (err) {
    entry.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`  failed: ${entry.error}\n`);
  }
  entry.durationMs = Math.round(performance.now() - t0);
  ran.push(entry);
  const what = entry.error ? 'failed' : entry.skipped ? 'skipped' : `${entry.results} results`;
  process.stderr.write(`bench: ${name} took ${seconds(entry.durationMs)} (${what})\n`);
}
const durationMs = Math.round(performance.now() - started);

const fmt = (v) =>
  v === null || v === undefined
    ? '—'
    : typeof v === 'number'
      ? Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en-US')
        : String(Math.round(v * 100) / 100)
      : String(v);
// A cell may not hold a pipe or a line break.
const cell = (s) =>
  String(s)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
const table = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ' — quick mode' : ''}`,
  '',
  '| metric | ours | reference | ratio | target | pass |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map((r) =>
    [
      '',
      cell(r.metric),
      cell(r.ours === null ? '—' : `${fmt(r.ours)} ${r.unit ?? ''}`.trim()),
      cell(
        r.reference === null
          ? '—'
          : `${fmt(r.reference)}${r.referenceLabel ? ` (${r.referenceLabel})` : ''}`,
      ),
      cell(r.ratio === null ? '—' : `${fmt(r.ratio)}×`),
      cell(r.target),
      r.pass ? 'yes' : 'no',
      '',
    ]
      .join(' | ')
      .trim(),
  ),
].join('\n');
console.log(table);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = join(outDir, `${stamp}.json`);
mkdirSync(outDir, { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ machine, mode: quick ? 'quick' : 'full', durationMs, suites: ran, results }, null, 2)}\n`,
);
for (const s of ran) {
  process.stderr.write(`bench: ${s.name.padEnd(8)} ${seconds(s.durationMs).padStart(8)}\n`);
}
process.stderr.write(`bench: total    ${seconds(durationMs).padStart(8)}\n`);
process.stderr.write(`bench: wrote ${out}\n`);
if (ran.some((s) => s.error)) process.exitCode = 1;
