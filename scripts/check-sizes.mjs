#!/usr/bin/env node
// Fails when a source file is over 400 lines or a function in one is over 80, unless the
// allowlist below gives a reason. Run by `npm run lint` after Biome; prints file:line, name
// and size of each offender. Sources: every package's src/, scripts/ and bench/ — not
// generated code (gen/), not tests, not build output.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export const limits = { fileLines: 400, functionLines: 80 };

/**
 * Files or functions allowed past the limits, each with its reason. `file` is relative to the
 * repository root; without `function` the entry covers the file and every function in it.
 * An entry that no longer matches an offender fails the check: remove it.
 */
export const allowlist = [];

const sourceExtensions = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const skippedDirs = new Set(['node_modules', 'dist', 'gen', 'test', 'tests', 'results']);

/** The source files under `root`, relative to it with `/` separators, sorted. */
export function sourceFiles(root) {
  const packages = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !skippedDirs.has(d.name))
    .map((d) => `${d.name}/src`);
  const files = [];
  for (const top of [...packages, 'scripts', 'bench']) {
    let entries;
    try {
      entries = readdirSync(join(root, top), { recursive: true, withFileTypes: true });
    } catch {
      continue; // no such folder
    }
    for (const e of entries) {
      if (!e.isFile() || !sourceExtensions.test(e.name) || /\.d\.[mc]?ts$/.test(e.name)) continue;
      if (/\.(test|spec)\.[^.]+$/.test(e.name)) continue;
      const path = relative(root, join(e.parentPath ?? e.path, e.name))
        .split(sep)
        .join('/');
      if (path.split('/').some((part) => skippedDirs.has(part))) continue;
      files.push(path);
    }
  }
  return files.sort();
}

/** Every function in the source with its name, first line (1-based) and length in lines. */
export function functionsOf(path, text) {
  const kind = /\.[mc]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const found = [];
  const visit = (node, outer) => {
    let inside = outer;
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const name = qualified(outer, functionName(node, source));
      const line = lineOf(node.getStart(source));
      found.push({ name, line, lines: lineOf(node.getEnd()) - line + 1 });
      inside = name;
    } else if (ts.isClassLike(node)) {
      inside = qualified(outer, node.name?.text ?? '(class)');
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(source, '');
  return found;
}

const qualified = (outer, name) => (outer ? `${outer} › ${name}` : name);

function functionName(node, source) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText(source);
  if (ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression;
    const called = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : callee.getText(source);
    return `(callback of ${called.slice(0, 40)})`;
  }
  return '(anonymous)';
}

/** What is over the limits in the files under `root`, and what the allowlist excused. */
export function checkSizes({ root, entries = allowlist, max = limits, files = sourceFiles(root) }) {
  const offenders = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    if (lines > max.fileLines)
      offenders.push({ file, line: 1, name: '(file)', lines, limit: max.fileLines });
    for (const f of functionsOf(file, text)) {
      if (f.lines > max.functionLines)
        offenders.push({
          file,
          line: f.line,
          name: f.name,
          lines: f.lines,
          limit: max.functionLines,
        });
    }
  }
  const excuse = (o) =>
    entries.find((e) => e.file === o.file && (e.function === undefined || e.function === o.name));
  const failing = offenders.filter((o) => !excuse(o));
  const allowed = offenders.filter((o) => excuse(o));
  const stale = entries.filter((e) => !allowed.some((o) => excuse(o) === e));
  return { files: files.length, max, failing, allowed, stale };
}

export function report(result) {
  const out = [];
  for (const o of result.failing)
    out.push(`${o.file}:${o.line} ${o.name}: ${o.lines} lines (limit ${o.limit})`);
  for (const e of result.stale)
    out.push(
      `allowlist entry ${e.file}${e.function ? ` ${e.function}` : ''} no longer matches anything over the limits: remove it from scripts/check-sizes.mjs`,
    );
  if (out.length > 0)
    out.push(
      `check-sizes: ${result.failing.length} over the limits, ${result.stale.length} stale allowlist entries — split the file or function, or allowlist it with a reason`,
    );
  else
    out.push(
      `check-sizes: ${result.files} files within ${result.max.fileLines} lines and functions within ${result.max.functionLines} (${result.allowed.length} over them excused by the allowlist)`,
    );
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const result = checkSizes({ root });
  const ok = result.failing.length === 0 && result.stale.length === 0;
  (ok ? console.log : console.error)(report(result));
  process.exitCode = ok ? 0 : 1;
}
