import type { AccessBook, AttemptLimit } from '@fleetline/platform';

/**
 * How often sign-in may be tried, per login and per address: a burst, then a steady rate.
 * The buckets are in the records, so every cloud process counts the same attempts. Each
 * attempt takes a token from both and a successful one gives them back, so people who type
 * their password right are never limited. The login's bucket is keyed by the login as typed,
 * whether or not an account has it: the limit engages the same way for every login and tells
 * nothing about which exist.
 */

export interface SignInLimitOptions {
  /** Attempts for one login at once, then one per `loginEverySeconds`. */
  readonly loginBurst: number;
  readonly loginEverySeconds: number;
  /** Attempts from one address at once, then one per `addressEverySeconds`. */
  readonly addressBurst: number;
  readonly addressEverySeconds: number;
}

export const defaultSignInLimits: SignInLimitOptions = {
  loginBurst: 5,
  loginEverySeconds: 60,
  addressBurst: 20,
  addressEverySeconds: 3,
};

/** Buckets untouched this long are full again: forgotten when sessions are pruned. */
export const ATTEMPTS_KEPT_MS = 3_600_000;

type Buckets = Pick<AccessBook, 'takeAttempt' | 'refundAttempt'>;

export class SignInLimits {
  private readonly login: AttemptLimit;
  private readonly address: AttemptLimit;

  constructor(
    private readonly buckets: Buckets,
    o: SignInLimitOptions = defaultSignInLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.login = { burst: o.loginBurst, perSecond: 1 / o.loginEverySeconds };
    this.address = { burst: o.addressBurst, perSecond: 1 / o.addressEverySeconds };
  }

  /**
   * Takes an attempt for the login from the address: undefined when allowed, else the
   * seconds until the next attempt may be made (nothing is taken then).
   */
  async take(login: string, address: string): Promise<number | undefined> {
    const nowMs = this.now();
    const byLogin = await this.buckets.takeAttempt(loginKey(login), this.login, nowMs);
    if (byLogin !== undefined) return byLogin;
    const byAddress = await this.buckets.takeAttempt(addressKey(address), this.address, nowMs);
    if (byAddress === undefined) return undefined;
    await this.buckets.refundAttempt(loginKey(login), this.login);
    return byAddress;
  }

  /** A successful sign-in: its attempt does not count. */
  async succeeded(login: string, address: string): Promise<void> {
    await this.buckets.refundAttempt(loginKey(login), this.login);
    await this.buckets.refundAttempt(addressKey(address), this.address);
  }
}

const loginKey = (login: string) => `login:${login.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
