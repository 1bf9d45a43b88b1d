import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session ids, CSRF tokens and API tokens: 256 random bits, base64url. Session ids and API
 * tokens are kept only as their SHA-256 (a stolen database holds no usable secret; a plain
 * hash suffices for secrets this long — no password hashing needed).
 */

export const newSecret = (): string => randomBytes(32).toString('base64url');

export const secretHash = (secret: string): string => hash('sha256', secret, 'base64url');

/** Equal strings, compared in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API tokens start with this, so that a leaked one is recognised by secret scanners. */
export const API_TOKEN_PREFIX = 'flt_';
