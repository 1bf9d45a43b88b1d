#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only <suite>]`: runs every benchmark suite, prints a
// Markdown table and writes bench/results/<timestamp>.json:
//   { "machine": { cpu, cores, memoryGiB, node, os }, "mode", "results": [
//       { "suite", "metric", "unit", "ours", "reference", "referenceLabel", "ratio", "target", "pass", "note" } ] }
// Each result states what it is compared with: a reference measured in the same run, or a
// physical limit (a saturated CAN bus), and the target the issue set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const suites = ['edge', 'kafka', 'gateway', 'cloud', 'actors', 'latency'];

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  os: `${process.platform} ${release()}`,
};

const results = [];
for (const name of suites) {
  if (only && only !== name) continue;
  const suite = await import(join(here, 'suites', `${name}.mjs`));
  process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''}\n`);
  for (const r of await suite.run({ quick, log: (m) => process.stderr.write(`  ${m}\n`) })) {
    results.push({ suite: name, ...r });
  }
}

const fmt = (v) =>
  v === null || v === undefined
    ? '—'
    : typeof v === 'number'
      ? Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en-US')
        : String(Math.round(v * 100) / 100)
      : String(v);
const table = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ' — quick mode' : ''}`,
  '',
  '| metric | ours | reference | ratio | target | pass |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.metric} | ${fmt(r.ours)} ${r.unit ?? ''} | ${r.reference === null ? '—' : `${fmt(r.reference)} (${r.referenceLabel})`} | ${r.ratio === null ? '—' : `${fmt(r.ratio)}×`} | ${r.target} | ${r.pass ? 'yes' : 'no'} |`,
  ),
].join('\n');
console.log(table);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = join(here, 'results', `${stamp}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ machine, mode: quick ? 'quick' : 'full', results }, null, 2)}\n`,
);
process.stderr.write(`bench: wrote ${out}\n`);
