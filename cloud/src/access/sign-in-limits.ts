import { TokenBuckets } from '@fleetline/platform';

/**
 * How often sign-in may be tried, per login and per address: a burst, then a steady rate.
 * Each attempt takes a token from both buckets and a successful one gives them back, so
 * people who type their password right are never limited. The login's bucket is keyed by
 * the login as typed, whether or not an account has it: the limit engages the same way for
 * every login and tells nothing about which exist.
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

export class SignInLimits {
  private readonly logins: TokenBuckets;
  private readonly addresses: TokenBuckets;

  constructor(
    private readonly o: SignInLimitOptions = defaultSignInLimits,
    now: () => number = Date.now,
  ) {
    this.logins = new TokenBuckets(1 / o.loginEverySeconds, o.loginBurst, now);
    this.addresses = new TokenBuckets(1 / o.addressEverySeconds, o.addressBurst, now);
  }

  /**
   * Takes an attempt for the login from the address: undefined when allowed, else the
   * seconds until the next attempt may be made.
   */
  take(login: string, address: string): number | undefined {
    const key = normalised(login);
    const loginLeft = this.logins.available(key);
    const addressLeft = this.addresses.available(address);
    if (loginLeft >= 1 && addressLeft >= 1) {
      this.logins.allow(key);
      this.addresses.allow(address);
      return undefined;
    }
    const wait = (left: number, every: number) => (left >= 1 ? 0 : (1 - left) * every);
    return Math.max(
      1,
      Math.ceil(
        Math.max(
          wait(loginLeft, this.o.loginEverySeconds),
          wait(addressLeft, this.o.addressEverySeconds),
        ),
      ),
    );
  }

  /** A successful sign-in: its attempt does not count. */
  succeeded(login: string, address: string): void {
    this.logins.refund(normalised(login));
    this.addresses.refund(address);
  }
}

const normalised = (login: string) => login.trim().toLowerCase();
