import { TokenBuckets } from '@fleetline/platform';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { secretDigest, UNMATCHABLE_HASH, verifySecret } from './credentials.js';

/**
 * Whether and when a password gets its scrypt check (32 MiB, tens of milliseconds of a core,
 * on libuv's shared thread pool). Three bounds keep a flood of wrong passwords from delaying
 * everyone else's connect:
 *
 * - a failure is remembered for a minute: the same wrong password for the same id again is
 *   refused without hashing;
 * - failed checks are limited per claimed device id (whatever the source address) and per
 *   source address (whatever the id); past either, connects that need a check are refused
 *   until the bucket refills. A check that succeeds gives its tokens back, so devices that
 *   know their secret — a fleet behind one NAT reconnecting after a gateway restart — never
 *   use up the budget;
 * - checks run a few at a time with a short wait queue; when both are taken the connect is
 *   refused at once (the device retries) rather than queued behind the flood.
 *
 * An id that is not registered is checked against a hash no secret matches, through the
 * same bounds: the outcome and the time it takes are those of a registered id.
 */

export type CheckOutcome =
  /** The password matches the stored hash. */
  | 'match'
  | 'mismatch'
  /** Every check slot and wait place is taken: try again later. */
  | 'busy'
  /** Too many failed checks for this id or from this address lately: try again later. */
  | 'throttled';

export interface PasswordCheckOptions {
  /** The slow check; replaceable so tests can see (and hold back) when it runs. */
  verify?: (secret: string, hash: string) => Promise<boolean>;
  /** Checks running at once. Default 2: half the thread pool. */
  hashConcurrency?: number;
  /** Checks waiting for a turn; beyond them, `busy`. Default 32. */
  hashQueue?: number;
  /** Failed checks per source address per minute (the burst too). Default 10. */
  failuresPerAddressPerMinute?: number;
  /** Failed checks per claimed device id per minute (the burst too). Default 5. */
  failuresPerDevicePerMinute?: number;
  now?: () => number;
}

/** How long a failed (id, password) pair is answered from memory. */
const FAILURE_MEMORY_MS = 60_000;
/** Failures remembered at most; the oldest go first. */
const FAILURE_MEMORY_ENTRIES = 10_000;

export class PasswordChecks {
  private readonly verify: (secret: string, hash: string) => Promise<boolean>;
  private readonly slots: ConcurrencyLimit;
  private readonly perDevice: TokenBuckets;
  private readonly perAddress: TokenBuckets;
  private readonly now: () => number;
  /** `${deviceId} ${sha256(password)}` → the stored hash it failed against, and until when. */
  private readonly failures = new Map<string, { hash: string; untilMs: number }>();

  constructor(o: PasswordCheckOptions = {}) {
    this.verify = o.verify ?? verifySecret;
    this.now = o.now ?? Date.now;
    this.slots = new ConcurrencyLimit(o.hashConcurrency ?? 2, o.hashQueue ?? 32);
    const perDevice = o.failuresPerDevicePerMinute ?? 5;
    const perAddress = o.failuresPerAddressPerMinute ?? 10;
    this.perDevice = new TokenBuckets(perDevice / 60, perDevice, this.now);
    this.perAddress = new TokenBuckets(perAddress / 60, perAddress, this.now);
  }

  /** Checks running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.slots.running, waiting: this.slots.waiting };
  }

  /**
   * Checks a password claimed for `deviceId` from `address` against the device's stored hash
   * (undefined: no such device).
   */
  async check(
    deviceId: string,
    address: string,
    password: Buffer,
    storedHash: string | undefined,
  ): Promise<CheckOutcome> {
    const hash = storedHash ?? UNMATCHABLE_HASH;
    const key = `${deviceId} ${secretDigest(password).toString('base64url')}`;
    const failed = this.failures.get(key);
    // The stored hash is part of the memory: a device registered or given a new secret since
    // is checked again.
    if (failed && failed.hash === hash && failed.untilMs > this.now()) return 'mismatch';
    if (this.slots.full) return 'busy';
    if (this.perDevice.available(deviceId) < 1 || this.perAddress.available(address) < 1) {
      return 'throttled';
    }
    this.perDevice.allow(deviceId);
    this.perAddress.allow(address);
    const refund = () => {
      this.perDevice.refund(deviceId);
      this.perAddress.refund(address);
    };
    const checked = this.slots.run(() => this.verify(password.toString('utf8'), hash));
    if (!checked) {
      refund();
      return 'busy';
    }
    let matches: boolean;
    try {
      matches = await checked;
    } catch (err) {
      refund(); // not the device's failure
      throw err;
    }
    if (matches) {
      refund(); // only failures count
      return 'match';
    }
    this.remember(key, hash);
    return 'mismatch';
  }

  private remember(key: string, hash: string): void {
    this.failures.delete(key);
    if (this.failures.size >= FAILURE_MEMORY_ENTRIES) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(key, { hash, untilMs: this.now() + FAILURE_MEMORY_MS });
  }
}
