import { randomBytes } from 'node:crypto';
import { WeChatErrcodes as E } from '../wechat-api.js';
import { error, type FakeReply, objectOf, ok } from './fake-answers.js';
import { beijingDayOf, minuteOf, WindowCounter } from './fake-rate-limit.js';

export interface FakeAccount {
  readonly appId: string;
  readonly appSecret: string;
  /** The IP addresses allowed to ask for a token; any when not given. */
  readonly ipWhitelist?: readonly string[];
}

export interface TokenIssuerOptions {
  /** A token's lifetime (WeChat: 7,200 s). */
  readonly ttlSeconds: number;
  /** How long before expiry the normal mode starts answering a new token (WeChat: 300 s). */
  readonly renewWindowSeconds: number;
  readonly now: () => number;
}

interface IssuedToken {
  readonly expiresAt: number;
  revoked: boolean;
}

// WeChat's tokens: a number, `_`, and URL-safe characters (`92_xHDwf9rTa_ZCiq…`).
const TOKEN_FORMAT = /^\d{1,4}_[A-Za-z0-9_-]{32,}$/;

/**
 * getStableAccessToken as WeChat documents it. The normal mode answers the current token and
 * the time it has left, and a new one only in its last minutes (both stay valid until they
 * expire); force_refresh invalidates the current token at once, 20 times a day, 30 s apart.
 * Tokens are checked as WeChat answers them: missing 41001, not WeChat's 40014, replaced by a
 * forced refresh or revoked 40001, expired 42001.
 */
export class FakeTokenIssuer {
  /** Forced refreshes granted. */
  forcedRefreshes = 0;
  private current: { value: string; token: IssuedToken } | undefined;
  private readonly issued = new Map<string, IssuedToken>();
  // Documented limits of stable_token: 10,000 a minute, 500,000 a day.
  private readonly perMinute = new WindowCounter(10_000, minuteOf);
  private readonly perDay = new WindowCounter(500_000, beijingDayOf);
  private readonly forcedPerDay = new WindowCounter(20, beijingDayOf);
  private lastForcedAt = Number.NEGATIVE_INFINITY;
  private generation = 90;

  constructor(
    private readonly account: FakeAccount,
    private readonly o: TokenIssuerOptions,
  ) {}

  /** Answers a stable_token request with body `body` (undefined: not JSON) from `ip`. */
  issue(body: unknown, ip: string): FakeReply {
    const request = objectOf(body);
    if (!request) return error(E.dataFormatError);
    const now = this.o.now();
    if (!this.perMinute.take(now)) return error(E.minuteQuota);
    if (!this.perDay.take(now)) return error(E.dailyQuota);
    const refused = this.credentialsProblem(request, ip);
    if (refused) return refused;
    if (request.force_refresh === true) return this.forceRefresh(now);
    const current = this.current;
    const renewFrom = (current?.token.expiresAt ?? 0) - this.o.renewWindowSeconds * 1000;
    if (current && !current.token.revoked && now < renewFrom) return answer(current, now);
    return answer(this.newToken(now), now);
  }

  /** WeChat's errcode for `token` now (0: valid). */
  check(token: string | null): number {
    if (token === null || token === '') return E.accessTokenMissing;
    if (!TOKEN_FORMAT.test(token)) return E.invalidAccessToken;
    const issued = this.issued.get(token);
    if (!issued || issued.revoked) return E.invalidCredential;
    if (this.o.now() >= issued.expiresAt) return E.accessTokenExpired;
    return 0;
  }

  /** Invalidates the current token, as a refresh forced by another process does. */
  revokeCurrent(): void {
    if (this.current) this.current.token.revoked = true;
    this.current = undefined;
  }

  private credentialsProblem(r: Record<string, unknown>, ip: string): FakeReply | undefined {
    if (r.grant_type !== 'client_credential') return error(E.invalidGrantType);
    if (typeof r.appid !== 'string' || r.appid === '') return error(E.appidMissing);
    if (typeof r.secret !== 'string' || r.secret === '') return error(E.appsecretMissing);
    if (r.appid !== this.account.appId) return error(E.invalidAppid);
    const whitelist = this.account.ipWhitelist;
    if (whitelist && !whitelist.includes(ip))
      return error(E.ipNotWhitelisted, `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist`);
    if (r.secret !== this.account.appSecret) return error(E.invalidAppsecret);
    return undefined;
  }

  // The documentation gives the limits of a forced refresh but not the codes of going past
  // them: the fake answers those of the account's quotas, daily 45009 and frequency 45011.
  private forceRefresh(now: number): FakeReply {
    if (now - this.lastForcedAt < 30_000) return error(E.minuteQuota);
    if (!this.forcedPerDay.take(now)) return error(E.dailyQuota);
    this.lastForcedAt = now;
    this.forcedRefreshes++;
    this.revokeCurrent();
    return answer(this.newToken(now), now);
  }

  private newToken(now: number): { value: string; token: IssuedToken } {
    const value = `${++this.generation}_${randomBytes(96).toString('base64url')}`;
    const token = { expiresAt: now + this.o.ttlSeconds * 1000, revoked: false };
    this.issued.set(value, token);
    this.current = { value, token };
    return this.current;
  }
}

const answer = (t: { value: string; token: IssuedToken }, now: number): FakeReply =>
  ok({ access_token: t.value, expires_in: Math.ceil((t.token.expiresAt - now) / 1000) });
