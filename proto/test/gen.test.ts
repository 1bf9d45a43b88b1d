import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'fleetline-gen-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('generated protobuf code', () => {
  it('should match what the .proto files generate now (run `npm run proto:gen` when this fails)', () => {
    execFileSync(process.execPath, [join(pkg, 'scripts', 'gen.mjs'), out], { stdio: 'pipe' });
    const committed = readdirSync(join(pkg, 'gen')).sort();
    expect(readdirSync(out).sort()).toEqual(committed);
    for (const file of committed) {
      const fresh = readFileSync(join(out, file), 'utf8');
      expect(readFileSync(join(pkg, 'gen', file), 'utf8'), `gen/${file} is stale`).toBe(fresh);
    }
  });
});
