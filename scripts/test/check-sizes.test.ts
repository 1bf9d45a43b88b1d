import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** The size check (scripts/check-sizes.mjs) on a made-up repository. */

interface Offender {
  file: string;
  line: number;
  name: string;
  lines: number;
  limit: number;
}
interface Entry {
  file: string;
  function?: string;
  reason: string;
}
interface Result {
  files: number;
  failing: Offender[];
  allowed: Offender[];
  stale: Entry[];
}
interface CheckSizes {
  checkSizes(o: { root: string; entries?: Entry[] }): Result;
  sourceFiles(root: string): string[];
  report(result: Result): string;
  allowlist: Entry[];
}

const script = pathToFileURL(join(import.meta.dirname, '..', 'check-sizes.mjs')).href;
const sizes = (await import(script)) as CheckSizes;

const root = mkdtempSync(join(tmpdir(), 'fleetline-sizes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
/** `n` lines of statements. */
const statements = (n: number, indent = '  ') =>
  Array.from({ length: n }, (_, i) => `${indent}total += ${i};`).join('\n');
/** A function `name` of exactly `lines` lines. */
const fn = (name: string, lines: number) =>
  `export function ${name}() {\n  let total = 0;\n${statements(lines - 3)}\n}\n`;

// Line 3 of short.ts starts the 81-line function; everything else is within the limits or
// not a source the check reads.
write('cloud/src/short.ts', `// one\n\n${fn('tooLong', 81)}${fn('justRight', 80)}`);
write('cloud/src/nested/excused.ts', fn('excused', 120));
write(
  'cloud/src/methods.ts',
  `export class Store {\n  read() {\n    let total = 0;\n${statements(85, '    ')}\n  }\n}\n`,
);
write(
  'cloud/src/callbacks.ts',
  `app.get('/x', async () => {\n  let total = 0;\n${statements(90)}\n});\n`,
);
write(
  'platform/src/big.ts',
  `${Array.from({ length: 401 }, (_, i) => `export const c${i} = ${i};`).join('\n')}\n`,
);
write('scripts/tool.mjs', `const main = async () => {\n  let total = 0;\n${statements(100)}\n};\n`);
write('bench/suites/fine.mjs', fn('fine', 40));
// Not sources the check reads: generated code, tests, results, dependencies, declarations.
for (const path of [
  'proto/gen/generated.ts',
  'cloud/test/long.test.ts',
  'cloud/src/inline.test.ts',
  'scripts/test/fixture.mjs',
  'bench/results/run.mjs',
  'node_modules/dep/src/index.ts',
  'cloud/dist/index.js',
  'cloud/src/types.d.ts',
])
  write(path, fn('ignored', 500));

const entries: Entry[] = [
  { file: 'cloud/src/nested/excused.ts', function: 'excused', reason: 'a test' },
  { file: 'platform/src/big.ts', reason: 'a test' },
  { file: 'cloud/src/short.ts', function: 'justRight', reason: 'within the limit already' },
];

describe('check-sizes', () => {
  it('should read every package’s src, scripts and bench, and no generated code, tests or output', () => {
    expect(sizes.sourceFiles(root)).toEqual([
      'bench/suites/fine.mjs',
      'cloud/src/callbacks.ts',
      'cloud/src/methods.ts',
      'cloud/src/nested/excused.ts',
      'cloud/src/short.ts',
      'platform/src/big.ts',
      'scripts/tool.mjs',
    ]);
  });

  it('should catch a function over 80 lines and a file over 400, naming where and how long', () => {
    const result = sizes.checkSizes({ root, entries });
    expect(result.failing).toEqual([
      { file: 'cloud/src/callbacks.ts', line: 1, name: '(callback of get)', lines: 93, limit: 80 },
      { file: 'cloud/src/methods.ts', line: 2, name: 'Store › read', lines: 88, limit: 80 },
      { file: 'cloud/src/short.ts', line: 3, name: 'tooLong', lines: 81, limit: 80 },
      { file: 'scripts/tool.mjs', line: 1, name: 'main', lines: 103, limit: 80 },
    ]);
    expect(sizes.report(result)).toContain('cloud/src/short.ts:3 tooLong: 81 lines (limit 80)');
  });

  it('should let an allowlisted function or file pass, and call an entry matching nothing stale', () => {
    const result = sizes.checkSizes({ root, entries });
    expect(result.allowed.map((o) => `${o.file} ${o.name}`)).toEqual([
      'cloud/src/nested/excused.ts excused',
      'platform/src/big.ts (file)',
    ]);
    expect(result.stale).toEqual([entries[2]]);
    expect(sizes.report(result)).toMatch(
      /allowlist entry cloud\/src\/short\.ts justRight no longer matches anything over the limits/,
    );
  });

  it('should fail without the allowlist, and give every entry of the real one a reason', () => {
    expect(sizes.checkSizes({ root, entries: [] }).failing).toHaveLength(6);
    for (const entry of sizes.allowlist) expect(entry.reason, entry.file).toMatch(/\w{3}/);
  });
});
