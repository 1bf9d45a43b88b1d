import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cassandra, kafka, reachable } from '../../test-support/infra.js';
import { repoRoot } from '../../test-support/process.js';

/**
 * `npm run bench -- --quick` writes the JSON and prints the Markdown table the issue asks for.
 * Only the structure is checked: the figures depend on the machine. Suites that need Kafka
 * and Cassandra skip themselves when those are not reachable; with REQUIRE_INFRA=1 (CI) that
 * fails this test instead.
 */

/** The quick run has to finish within five minutes; past this it is stopped. */
const RUN_LIMIT_MS = 340_000;
const TEST_TIMEOUT_MS = 360_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runBench(args: string[]): Promise<Run> {
  const started = Date.now();
  // Its own process group, so that what it starts (agents, gateways) goes with it on a kill.
  const child = spawn(process.execPath, [join(repoRoot, 'bench/run.mjs'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(killGroup, RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The rows of the first Markdown table in text, each split into its (unescaped) cells. */
function markdownTable(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .trim()
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
    rows.push(cells);
  }
  return rows;
}

const isNumberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

describe('npm run bench -- --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'fleetline-bench-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it(
    'writes <out>/<timestamp>.json with the machine and every result, and prints them as a Markdown table',
    async () => {
      // With REQUIRE_INFRA=1 these throw when a service is missing.
      const infra = (await kafka()).available && (await cassandra()).available;
      const mosquitto = await reachable('127.0.0.1:1883', 1883);

      const run = await runBench(['--quick', '--out', out]);
      const context = `exit ${run.code ?? run.signal} after ${(run.ms / 1000).toFixed(0)} s\n${run.stderr.slice(-4000)}`;
      expect(run.ms, `the quick run was stopped after ${RUN_LIMIT_MS} ms`).toBeLessThan(
        RUN_LIMIT_MS,
      );
      expect(run.code, context).toBe(0);

      const files = readdirSync(out);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z\.json$/);
      const path = join(out, files[0] ?? '');
      // The path of the JSON is on a line of its own.
      expect(run.stderr.split('\n')).toContain(`bench: wrote ${path}`);

      const report = JSON.parse(readFileSync(path, 'utf8'));
      expect(report.machine).toMatchObject({
        cpu: expect.any(String),
        cores: expect.any(Number),
        node: process.version,
      });
      expect(report.machine.cpu.length).toBeGreaterThan(0);
      expect(report.machine.cores).toBeGreaterThan(0);
      expect(report.mode).toBe('quick');

      expect(Array.isArray(report.results)).toBe(true);
      expect(report.results.length).toBeGreaterThan(0);
      for (const r of report.results) {
        const where = JSON.stringify(r);
        expect(typeof r.metric, where).toBe('string');
        expect(r.metric.trim().length, where).toBeGreaterThan(0);
        expect(isNumberOrNull(r.ours), where).toBe(true);
        expect(isNumberOrNull(r.reference), where).toBe(true);
        expect(isNumberOrNull(r.ratio), where).toBe(true);
        expect(typeof r.target, where).toBe('string');
        expect(typeof r.pass, where).toBe('boolean');
        // ratio is ours / reference wherever both are there.
        if (typeof r.ours === 'number' && typeof r.reference === 'number' && r.ratio !== null) {
          const expected = r.ours / r.reference;
          expect(Math.abs(r.ratio - expected), where).toBeLessThanOrEqual(
            1e-9 * Math.max(Math.abs(expected), Number.MIN_VALUE),
          );
        }
      }

      // Which suites gave results: those that need nothing always; the others when their
      // services are there.
      const bySuite = new Map<string, number>();
      for (const r of report.results) bySuite.set(r.suite, (bySuite.get(r.suite) ?? 0) + 1);
      const expected = ['edge', 'actors'];
      if (infra) expected.push('kafka', 'cloud', 'latency', 'capacity');
      if (mosquitto) expected.push('gateway');
      for (const suite of expected) {
        expect(
          bySuite.get(suite) ?? 0,
          `results of the ${suite} suite\n${context}`,
        ).toBeGreaterThan(0);
      }
      // Each suite's duration is recorded.
      for (const s of report.suites) {
        expect(s.durationMs).toBeGreaterThanOrEqual(0);
        expect(s.error).toBeUndefined();
      }
      expect(report.suites.map((s: { name: string }) => s.name)).toEqual(
        expect.arrayContaining(expected),
      );
      expect(run.stderr).toMatch(/^bench: total +\d+(\.\d)? s$/m);

      // The table: a header row, the separator, then one row per result in the same order.
      const table = markdownTable(run.stdout);
      expect(table[0]).toEqual(['metric', 'ours', 'reference', 'ratio', 'target', 'pass']);
      expect(table[1]?.every((c) => /^:?-{3,}:?$/.test(c))).toBe(true);
      const rows = table.slice(2);
      expect(rows.every((cells) => cells.length === 6)).toBe(true);
      expect(rows.map((cells) => cells[0])).toEqual(
        report.results.map((r: { metric: string }) => r.metric),
      );
      expect(rows.map((cells) => cells[5])).toEqual(
        report.results.map((r: { pass: boolean }) => (r.pass ? 'yes' : 'no')),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
