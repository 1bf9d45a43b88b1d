import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Device secrets: generated here, shown once, stored only as a scrypt hash.
 *
 * scrypt is memory-hard (RFC 7914): N = 2^15, r = 8 needs 32 MiB per check, so a stolen
 * registry cannot be searched on GPUs cheaply. The secrets are 256 random bits, so the hash
 * is a second line of defence, not the only one. A hash records its own parameters
 * (`scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, base64url), so they can be raised later without
 * invalidating registered devices.
 */

const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Upper bounds on parameters read back from a hash, so a tampered row cannot exhaust memory. */
const MAX_LOG2_N = 20;
const MAX_R = 16;
const MAX_P = 4;

/** A new device secret: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

function derive(
  secret: string,
  salt: Buffer,
  log2n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  const N = 2 ** log2n;
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, LOG2_N, R, P);
  return ['scrypt', LOG2_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether the secret matches the stored hash, compared in constant time. A malformed hash
 * never matches.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const ok = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (!ok(log2n, MAX_LOG2_N) || !ok(r, MAX_R) || !ok(p, MAX_P)) return false;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const expected = Buffer.from(parts[5] as string, 'base64url');
  if (salt.length === 0 || expected.length !== KEY_BYTES) return false;
  const actual = await derive(secret, salt, log2n, r, p);
  return timingSafeEqual(actual, expected);
}

/**
 * A well-formed hash with today's parameters that no secret matches (its key is random, not
 * derived): checking a password for an unknown device against it costs what checking one for
 * a registered device costs, so neither the answer nor its timing tells whether an id exists.
 */
export const UNMATCHABLE_HASH = [
  'scrypt',
  LOG2_N,
  R,
  P,
  randomBytes(SALT_BYTES).toString('base64url'),
  randomBytes(KEY_BYTES).toString('base64url'),
].join('$');

/** A fast digest of a secret, for remembering one already verified (never stored). */
export function secretDigest(secret: string | Buffer): Buffer {
  return createHash('sha256').update(secret).digest();
}
