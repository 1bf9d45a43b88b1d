import {
  type DeliveryFailure,
  type DeliveryFailureCode,
  deliveryFailed,
  DeliveryFailureCodes as F,
} from '../alert-channel.js';
import { msUntilNextShanghaiDay, msUntilNextShanghaiMonth } from './aliyun-time.js';

/**
 * What Aliyun's codes mean to the notifier: the codes of dysmsapi (isv.* refusals, isp.*
 * system errors) and of the POP gateway in front of it (signature, key, timestamp,
 * throttling), from Aliyun's error-code pages. Pure.
 */
const meanings: Readonly<Record<string, DeliveryFailureCode>> = {
  // Per-number flow control, and the account's daily and monthly quotas set in the console.
  'isv.BUSINESS_LIMIT_CONTROL': F.throttled,
  'isv.DAY_LIMIT_CONTROL': F.throttled,
  'isv.MONTH_LIMIT_CONTROL': F.throttled,
  Throttling: F.throttled,
  'Throttling.User': F.throttled,
  'isv.MOBILE_NUMBER_ILLEGAL': F.badRecipient,
  'isv.MOBILE_COUNT_OVER_LIMIT': F.badRecipient,
  // An international template cannot send to a mainland number.
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': F.badRecipient,
  // "The user has unsubscribed" (用户已退订推广短信).
  'isv.CUSTOMER_REFUSED': F.recipientOptedOut,
  'isv.TEMPLATE_MISSING_PARAMETERS': F.templateRejected,
  'isv.SMS_TEMPLATE_ILLEGAL': F.templateRejected,
  'isv.SMS_SIGNATURE_ILLEGAL': F.templateRejected,
  'isv.SMS_SIGN_ILLEGAL': F.templateRejected,
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': F.templateRejected,
  'isv.SMS_CONTENT_ILLEGAL': F.templateRejected,
  'isv.TEMPLATE_PARAMS_ILLEGAL': F.templateRejected,
  'isv.INVALID_JSON_PARAM': F.templateRejected,
  'isv.PARAM_LENGTH_LIMIT': F.templateRejected,
  'isv.PARAM_NOT_SUPPORT_URL': F.templateRejected,
  'isv.EXTEND_CODE_ERROR': F.templateRejected,
  // A blacklisted keyword in the template's variables (a URL, a forbidden word): the data,
  // not the recipient, is refused.
  'isv.BLACK_KEY_CONTROL_LIMIT': F.templateRejected,
  // "Parameter format is wrong": the phone number has its own code, so what is left is the
  // template's data, the signature name or the OutId — the message, not the person.
  'isv.INVALID_PARAMETERS': F.templateRejected,
  InvalidAccessKeyId: F.credentialsRejected,
  'InvalidAccessKeyId.NotFound': F.credentialsRejected,
  'InvalidAccessKeyId.Inactive': F.credentialsRejected,
  SignatureDoesNotMatch: F.credentialsRejected,
  IncompleteSignature: F.credentialsRejected,
  InvalidSignatureMethod: F.credentialsRejected,
  // The host's clock is more than 15 minutes off: configuration, as a wrong key is.
  'InvalidTimeStamp.Expired': F.credentialsRejected,
  'InvalidTimeStamp.Format': F.credentialsRejected,
  'Forbidden.RAM': F.credentialsRejected,
  'isp.RAM_PERMISSION_DENY': F.credentialsRejected,
  'isv.DENY_IP_RANGE': F.credentialsRejected,
  // The account cannot send at all (no balance, SMS not activated): configuration too.
  'isv.ACCOUNT_NOT_EXISTS': F.credentialsRejected,
  'isv.ACCOUNT_ABNORMAL': F.credentialsRejected,
  'isv.OUT_OF_SERVICE': F.credentialsRejected,
  'isv.AMOUNT_NOT_ENOUGH': F.credentialsRejected,
  'isv.PRODUCT_UN_SUBSCRIPT': F.credentialsRejected,
  'isv.PRODUCT_UNSUBSCRIBE': F.credentialsRejected,
  'isp.SYSTEM_ERROR': F.vendorUnavailable,
  'isp.GATEWAY_ERROR': F.vendorUnavailable,
  'isp.UNKNOWN': F.vendorUnavailable,
  ServiceUnavailable: F.vendorUnavailable,
  InternalError: F.vendorUnavailable,
  // Nonces are random per request: a reused one is a fluke a retry does not repeat.
  SignatureNonceUsed: F.vendorUnavailable,
};

/** What a code means; codes this table does not know are read by their shape. */
export function meaningOf(code: string): DeliveryFailureCode {
  const known = meanings[code];
  if (known) return known;
  // The gateway's Missing{Parameter} and Invalid{Parameter}: the request's data is refused.
  if (/^(Missing|Invalid)[A-Z]/.test(code)) return F.templateRejected;
  // isp.* and anything new: retryable, so an unknown code never drops a crash alert for good.
  return F.vendorUnavailable;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * When to try again, where Aliyun's rule says. isv.BUSINESS_LIMIT_CONTROL names the window it
 * tripped in its message (触发分钟级流控Permits:1 — minute; 小时级 — hour; 天级 — day, a
 * rolling 24 hours from the send). Without a window named, a minute: the shortest documented
 * window — a retry too early costs one refused call, one too late could hold a crash alert
 * for a day. The console's day and month quotas reset at Shanghai's midnight and month start.
 */
export function retryAfterMsOf(code: string, message: string, nowMs: number): number | undefined {
  switch (code) {
    case 'isv.BUSINESS_LIMIT_CONTROL':
      if (message.includes('天级')) return DAY_MS;
      if (message.includes('小时级')) return HOUR_MS;
      return MINUTE_MS;
    case 'isv.DAY_LIMIT_CONTROL':
      return msUntilNextShanghaiDay(nowMs);
    case 'isv.MONTH_LIMIT_CONTROL':
      return msUntilNextShanghaiMonth(nowMs);
    case 'Throttling':
    case 'Throttling.User':
      // The per-second limit on calls (5,000 a second per user).
      return 1_000;
    default:
      return undefined;
  }
}

/** The DeliveryFailure of a vendor code, with its own code and message kept. */
export function failureOf(code: string, message: string, nowMs: number): DeliveryFailure {
  const retryAfterMs = retryAfterMsOf(code, message, nowMs);
  return deliveryFailed(meaningOf(code), {
    code,
    message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * Whether an answer with this code can have come after the message was pushed. Aliyun's
 * refusals (isv.*, the gateway's checks) come before anything is sent; a system error
 * (isp.*, a 5xx) or a code this table does not know leaves it open.
 */
export function mayHavePushed(code: string, httpStatus: number): boolean {
  if (httpStatus >= 500) return true;
  return meaningOf(code) === F.vendorUnavailable && code !== 'SignatureNonceUsed';
}
