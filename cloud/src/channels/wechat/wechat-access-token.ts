import type { DeliveryFailure } from '../alert-channel.js';

/** What asking WeChat for a token came to. */
export type TokenFetch =
  | { readonly ok: true; readonly token: string; readonly expiresInSeconds: number }
  | { readonly ok: false; readonly failure: DeliveryFailure };

export type TokenResult =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly failure: DeliveryFailure };

/**
 * The account's access token, cached until shortly before it runs out. One fetch at a time:
 * sends that find no usable token while a fetch is under way share it, so a burst of alerts
 * after a restart asks WeChat once. A failed fetch is not cached; the next send asks again.
 */
export class AccessTokenCache {
  private cached: { token: string; refreshAt: number } | undefined;
  private fetching: Promise<TokenResult> | undefined;

  /**
   * @param refreshEarlyMs how long before expiry a token is replaced: WeChat's own renewal
   *   starts 5 minutes early, and a token used in its last seconds could expire on the way.
   */
  constructor(
    private readonly fetchToken: () => Promise<TokenFetch>,
    private readonly now: () => number,
    private readonly refreshEarlyMs = 300_000,
  ) {}

  get(): Promise<TokenResult> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt)
      return Promise.resolve({ ok: true, token: cached.token });
    if (!this.fetching)
      this.fetching = this.refresh().finally(() => {
        this.fetching = undefined;
      });
    return this.fetching;
  }

  /**
   * Forgets `token` after WeChat refused it. Only that token: when a concurrent send has
   * already replaced it, the replacement stays.
   */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async refresh(): Promise<TokenResult> {
    const fetched = await this.fetchToken();
    if (!fetched.ok) return fetched;
    const lifetimeMs = fetched.expiresInSeconds * 1000;
    // A lifetime shorter than twice the margin (WeChat answers the time left, which can be
    // short just before its own renewal) is used for its first half.
    const early = Math.min(this.refreshEarlyMs, lifetimeMs / 2);
    this.cached = { token: fetched.token, refreshAt: this.now() + lifetimeMs - early };
    return { ok: true, token: fetched.token };
  }
}
