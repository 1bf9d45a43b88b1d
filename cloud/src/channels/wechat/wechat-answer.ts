import {
  type DeliveryFailure,
  type DeliveryFailureCode,
  DeliveryFailureCodes,
  deliveryFailed,
} from '../alert-channel.js';
import { WeChatErrcodes } from './wechat-api.js';
import type { Exchange } from './wechat-http.js';

/**
 * What a WeChat answer means for the notifier: the body parsed without losing a 64-bit msgid,
 * and each errcode mapped onto the closed list of DeliveryFailureCodes with WeChat's own code
 * and message kept. Pure: the clock comes in as `now` (epoch milliseconds).
 */

/** A JSON answer of the API: errcode 0 (or none) is success. */
export interface WeChatAnswer {
  readonly errcode: number;
  readonly errmsg: string;
  /** Every field of the body; `msgid` as text. */
  readonly fields: Readonly<Record<string, unknown>>;
}

// WeChat's msgid is a 64-bit integer (3662956322040938501): JSON.parse would round it to the
// nearest double. The number is quoted in the raw text first, so it is parsed as a string.
// Inside a JSON string a quote is escaped, so `"msgid":` only matches the field itself.
const BARE_MSGID = /("msgid"\s*:\s*)(-?\d+)/g;

/** The answer in `text`, or undefined when it is not a JSON object with a numeric errcode. */
export function parseWeChatAnswer(text: string): WeChatAnswer | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text.replace(BARE_MSGID, '$1"$2"'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  const errcode = fields.errcode ?? WeChatErrcodes.ok;
  if (typeof errcode !== 'number' || !Number.isInteger(errcode)) return undefined;
  const errmsg = typeof fields.errmsg === 'string' ? fields.errmsg : '';
  return { errcode, errmsg, fields };
}

/** The msgid of a success answer as exact decimal text, or undefined when it has none. */
export function messageIdOf(answer: WeChatAnswer): string | undefined {
  const id = answer.fields.msgid;
  if (typeof id === 'string' && /^-?\d+$/.test(id)) return id;
  return undefined;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// WeChat counts daily quotas by the day in China Standard Time (UTC+8, no daylight saving).
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Milliseconds from `now` to the next midnight in Beijing, when a daily quota starts again. */
export function untilNextBeijingDay(now: number): number {
  const beijingDay = Math.floor((now + BEIJING_OFFSET_MS) / DAY_MS);
  return (beijingDay + 1) * DAY_MS - BEIJING_OFFSET_MS - now;
}

/** Milliseconds from `now` to the start of the next minute: WeChat's "retry next minute". */
export function untilNextMinute(now: number): number {
  return (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS - now;
}

// errcode → failure code. Not listed: token refusals (the client refreshes the token and
// retries first), and codes this list does not know, which are VENDOR_UNAVAILABLE: WeChat
// answered with an error of its own, and a later retry may succeed.
const failureCodes: ReadonlyMap<number, DeliveryFailureCode> = new Map([
  [WeChatErrcodes.systemBusy, DeliveryFailureCodes.vendorUnavailable],
  [WeChatErrcodes.invalidOpenid, DeliveryFailureCodes.badRecipient],
  [WeChatErrcodes.requireSubscribe, DeliveryFailureCodes.recipientOptedOut],
  [WeChatErrcodes.userRefused, DeliveryFailureCodes.recipientOptedOut],
  [WeChatErrcodes.invalidTemplateId, DeliveryFailureCodes.templateRejected],
  [WeChatErrcodes.argumentInvalid, DeliveryFailureCodes.templateRejected],
  [WeChatErrcodes.templateBanned, DeliveryFailureCodes.templateRejected],
  [WeChatErrcodes.dailyQuota, DeliveryFailureCodes.throttled],
  [WeChatErrcodes.minuteQuota, DeliveryFailureCodes.throttled],
  // Answers of stable_token: the account's credentials or setup are wrong, not the message.
  [WeChatErrcodes.invalidGrantType, DeliveryFailureCodes.credentialsRejected],
  [WeChatErrcodes.invalidAppid, DeliveryFailureCodes.credentialsRejected],
  [WeChatErrcodes.invalidAppsecret, DeliveryFailureCodes.credentialsRejected],
  [WeChatErrcodes.ipNotWhitelisted, DeliveryFailureCodes.credentialsRejected],
  [WeChatErrcodes.appidMissing, DeliveryFailureCodes.credentialsRejected],
  [WeChatErrcodes.appsecretMissing, DeliveryFailureCodes.credentialsRejected],
]);

/** The failure an error answer (errcode not 0) stands for, received at `now`. */
export function failureOfAnswer(answer: WeChatAnswer, now: number): DeliveryFailure {
  const code = failureCodes.get(answer.errcode) ?? DeliveryFailureCodes.vendorUnavailable;
  return deliveryFailed(code, {
    code: String(answer.errcode),
    message: answer.errmsg,
    ...retryAfter(answer.errcode, now),
  });
}

function retryAfter(errcode: number, now: number): { retryAfterMs?: number } {
  if (errcode === WeChatErrcodes.dailyQuota) return { retryAfterMs: untilNextBeijingDay(now) };
  if (errcode === WeChatErrcodes.minuteQuota) return { retryAfterMs: untilNextMinute(now) };
  return {};
}

/** A token refused again right after a refresh: the account's setup, not a stale token. */
export function tokenRefusedAgain(answer: WeChatAnswer): DeliveryFailure {
  return deliveryFailed(DeliveryFailureCodes.credentialsRejected, {
    code: String(answer.errcode),
    message: answer.errmsg,
  });
}

/** An exchange read: WeChat's answer, or the failure when there is none to read. */
export type Reading =
  | { readonly kind: 'answer'; readonly answer: WeChatAnswer }
  | { readonly kind: 'failed'; readonly failure: DeliveryFailure };

/**
 * What an exchange comes to. `pushes` says whether the request pushes a message: then no
 * answer (a timeout, a connection lost after sending) is TIMED_OUT, as the push may have gone
 * out; for a token or QR code request nothing was pushed either way, so it is the vendor
 * being unavailable.
 */
export function readExchange(exchange: Exchange, pushes: boolean): Reading {
  const unknownOutcome = pushes
    ? DeliveryFailureCodes.timedOut
    : DeliveryFailureCodes.vendorUnavailable;
  switch (exchange.kind) {
    case 'timed-out':
      return failed(unknownOutcome, 'TIMEOUT', exchange.message);
    case 'lost':
      return failed(unknownOutcome, exchange.code, exchange.message);
    case 'unreachable':
      return failed(DeliveryFailureCodes.vendorUnavailable, exchange.code, exchange.message);
    case 'answered':
      return readAnswered(exchange.status, exchange.text);
  }
}

function readAnswered(status: number, text: string): Reading {
  // WeChat answers errors too with HTTP 200: any other status is a proxy or an outage.
  if (status !== 200)
    return failed(DeliveryFailureCodes.vendorUnavailable, `HTTP ${status}`, excerpt(text));
  const answer = parseWeChatAnswer(text);
  if (!answer)
    return failed(
      DeliveryFailureCodes.vendorUnavailable,
      'HTTP 200',
      `not an answer of the WeChat API: ${excerpt(text)}`,
    );
  return { kind: 'answer', answer };
}

const failed = (code: DeliveryFailureCode, vendorCode: string, message: string): Reading => ({
  kind: 'failed',
  failure: deliveryFailed(code, { code: vendorCode, message }),
});

const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);
