import { createHash } from 'node:crypto';
import type { DriveOutput } from '../../src/index.js';

/** A drive's fingerprint: the same seed must give the same one. */
export function hashOf(out: DriveOutput): string {
  return createHash('sha256').update(JSON.stringify(out)).digest('hex');
}
