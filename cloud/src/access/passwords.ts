import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords, hashed with Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane):
 * memory-hard, about 50 ms of one core here. The hashing runs on libuv's thread pool, never on
 * the event loop, so sign-ins do not stall the API. The hash string (PHC format) carries its
 * parameters, so raising them later still verifies the old hashes.
 */

// algorithm 2 is Argon2id (the package's enum is a const enum, which this build cannot import).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Longest password accepted: Argon2 takes any length, but a 1 MB one is an attack. */
export const MAX_PASSWORD_LENGTH = 256;
/** Shortest password a person may choose. */
export const MIN_PASSWORD_LENGTH = 10;

export const hashPassword = (password: string): Promise<string> => hash(password, options);

/** False for a wrong password and for a hash that is not one of ours. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash no password matches, verified against when the login names nobody: a sign-in then
 * takes as long as one for a real account, so timing does not tell whether an account exists.
 */
export const unmatchableHash = hashPassword(randomBytes(32).toString('base64'));

// No 0/O, 1/l/I: one-time passwords are read aloud and typed from paper.
const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password: 16 characters from 56, about 93 bits. */
export function generatePassword(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (b >= 224) continue;
    out += alphabet[b % alphabet.length];
    if (out.length === 16) return out;
  }
  return out.length === 16 ? out : generatePassword();
}
