import {
  type DeliveryFailure,
  DeliveryFailureCodes,
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from '../alert-channel.js';
import { AccessTokenCache, type TokenFetch } from './wechat-access-token.js';
import {
  failureOfAnswer,
  messageIdOf,
  type Reading,
  readExchange,
  tokenRefusedAgain,
} from './wechat-answer.js';
import {
  type TemplateSendRequest,
  tokenRefusedCodes,
  WeChatPaths,
  weChatApiBaseUrl,
} from './wechat-api.js';
import { postJson } from './wechat-http.js';
import { type QrCodeOptions, qrCodeCreateRequest, stableTokenRequest } from './wechat-requests.js';

export interface WeChatClientOptions {
  /** The Official Account's AppID. */
  appId: string;
  /** Its AppSecret: kept private to the client, never logged or put in a result. */
  appSecret: string;
  /** Default: WeChat's production API. */
  baseUrl?: string;
  /** How long a request may take, the answer's body included (default 10 s). */
  timeoutMs?: number;
  /** How long before expiry the access token is replaced (default 5 minutes). */
  refreshTokenEarlyMs?: number;
  /** The clock, epoch milliseconds (tests move it). */
  now?: () => number;
}

/** A temporary QR code WeChat created, or why it did not. */
export type QrCodeResult =
  | {
      readonly outcome: 'created';
      readonly ticket: string;
      readonly expireSeconds: number;
      /** What the code encodes: render it yourself, or show `imageUrl`. */
      readonly url: string;
      readonly imageUrl: string;
    }
  | DeliveryFailure;

/**
 * A client of one Official Account's API that holds its access token: the template channel
 * and the QR-code binding share one, so they share the token too.
 *
 * Tokens come from getStableAccessToken in its normal mode, which answers the account's
 * current token (WeChat renews it 5 minutes before expiry, and picks up a refresh forced
 * elsewhere). A request WeChat answers with a token error (40001, 40014, 42001) drops the
 * token, fetches the current one and is sent once more. It never forces a refresh: a forced
 * refresh invalidates the token of every process sharing the account (which would then force
 * theirs, and so on), WeChat allows 20 a day, 30 s apart, and a current token refused again
 * is not a stale token but the account's setup (its secret reset, the account blocked). That
 * second refusal is CREDENTIALS_REJECTED.
 */
export class WeChatClient {
  readonly appId: string;
  readonly #appSecret: string;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #tokens: AccessTokenCache;

  constructor(o: WeChatClientOptions) {
    this.appId = o.appId;
    this.#appSecret = o.appSecret;
    this.#baseUrl = (o.baseUrl ?? weChatApiBaseUrl).replace(/\/+$/, '');
    this.#timeoutMs = o.timeoutMs ?? 10_000;
    this.#now = o.now ?? Date.now;
    this.#tokens = new AccessTokenCache(() => this.fetchToken(), this.#now, o.refreshTokenEarlyMs);
  }

  /** Sends one template message; every outcome is a result. */
  async sendTemplateMessage(request: TemplateSendRequest): Promise<DeliveryResult> {
    const reading = await this.callWithToken(WeChatPaths.templateSend, request, true);
    if (reading.kind === 'failed') return reading.failure;
    const { answer } = reading;
    if (answer.errcode !== 0) return failureOfAnswer(answer, this.#now());
    // A success always carries a msgid; should one not, the key still names the push.
    return delivered(messageIdOf(answer) ?? `client_msg_id:${request.client_msg_id ?? ''}`);
  }

  /** Creates a temporary QR code whose scan event carries `sceneStr`. */
  async createQrCode(o: QrCodeOptions): Promise<QrCodeResult> {
    const request = qrCodeCreateRequest(o);
    const reading = await this.callWithToken(WeChatPaths.qrCodeCreate, request, false);
    if (reading.kind === 'failed') return reading.failure;
    const { answer } = reading;
    if (answer.errcode !== 0) return failureOfAnswer(answer, this.#now());
    const { ticket, expire_seconds: expireSeconds, url } = answer.fields;
    if (typeof ticket !== 'string' || typeof url !== 'string' || typeof expireSeconds !== 'number')
      return malformed('qrcode/create answered without ticket, expire_seconds and url');
    const imageUrl = `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
    return { outcome: 'created', ticket, expireSeconds, url, imageUrl };
  }

  /** POSTs `body` with the token, and once more with a fresh one when WeChat refuses it. */
  private async callWithToken(path: string, body: unknown, pushes: boolean): Promise<Reading> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.#tokens.get();
      if (!token.ok) return { kind: 'failed', failure: token.failure };
      const url = this.urlOf(path);
      url.searchParams.set('access_token', token.token);
      const reading = readExchange(await postJson(url, body, this.#timeoutMs), pushes);
      if (reading.kind === 'failed' || !tokenRefusedCodes.has(reading.answer.errcode))
        return reading;
      this.#tokens.invalidate(token.token);
      if (attempt >= 2) return { kind: 'failed', failure: tokenRefusedAgain(reading.answer) };
    }
  }

  private async fetchToken(): Promise<TokenFetch> {
    const body = stableTokenRequest(this.appId, this.#appSecret);
    const exchange = await postJson(this.urlOf(WeChatPaths.stableToken), body, this.#timeoutMs);
    const reading = readExchange(exchange, false);
    if (reading.kind === 'failed') return { ok: false, failure: reading.failure };
    const { answer } = reading;
    if (answer.errcode !== 0) return { ok: false, failure: failureOfAnswer(answer, this.#now()) };
    const { access_token: token, expires_in: expiresIn } = answer.fields;
    if (
      typeof token !== 'string' ||
      token === '' ||
      typeof expiresIn !== 'number' ||
      expiresIn <= 0
    )
      return { ok: false, failure: malformed('stable_token answered without a token') };
    return { ok: true, token, expiresInSeconds: expiresIn };
  }

  private urlOf(path: string): URL {
    return new URL(`${this.#baseUrl}${path}`);
  }
}

const malformed = (message: string): DeliveryFailure =>
  deliveryFailed(DeliveryFailureCodes.vendorUnavailable, { code: 'HTTP 200', message });
