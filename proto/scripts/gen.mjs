#!/usr/bin/env node
// Generates the static protobufjs code for every .proto under schema/ into an output folder
// (default: gen/). The staleness test runs this into a temporary folder and compares.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(pkg, 'schema');
const out = resolve(process.argv[2] ?? join(pkg, 'gen'));
mkdirSync(out, { recursive: true });
const require = createRequire(import.meta.url);
const cli = dirname(require.resolve('protobufjs-cli/package.json'));

const protos = readdirSync(schema, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.proto'))
  .sort()
  .map((f) => relative(pkg, join(schema, f)));

const js = join(out, 'fleetline.js');
execFileSync(
  process.execPath,
  [
    join(cli, 'bin', 'pbjs'),
    ...['-t', 'static-module', '-w', 'esm', '--dependency', 'protobufjs/minimal.js'],
    // int64 fields as JS numbers: seq and epoch milliseconds stay far below 2^53.
    '--force-number',
    ...['--no-verify', '--no-convert', '--no-delimited', '--no-service', '--no-typeurl'],
    ...['-p', 'schema', '-o', js],
    ...protos,
  ],
  { cwd: pkg, stdio: 'inherit' },
);
execFileSync(
  process.execPath,
  [join(cli, 'bin', 'pbts'), '--no-comments', '-o', join(out, 'fleetline.d.ts'), js],
  { cwd: pkg, stdio: 'inherit' },
);
