import type { AlertMessage, AlertTemplate, RecipientKind } from './alert-message.js';

/**
 * The alert-channel port: how the notifier pushes one alert message to one person over one
 * channel (WeChat template messages, SMS through Aliyun or Tencent Cloud, the console). Every
 * adapter implements it and passes one contract suite (alert-channel.contract.test.ts).
 *
 * What the notifier can rely on, whichever the vendor:
 * - `send` resolves with a DeliveryResult for everything the vendor answers or fails to
 *   answer: throttling, outages, timeouts and refusals are results, never rejections, so the
 *   notifier files every outcome in its delivery records and acts on the code.
 * - `send` rejects, with a typed error, only when the message itself is wrong
 *   (AlertMessageError: checked before anything is sent) or the channel is closed
 *   (AlertChannelClosedError).
 * - A message is pushed at most once per idempotency key: a key delivered before answers
 *   `delivered` with `duplicate: true` and the first message id, and nothing is pushed again.
 *   Only a delivery makes a key used: a key whose send failed may be sent again.
 */
export interface AlertChannel {
  /**
   * Stable name of the channel, lowercase words joined by `-` (`console`, `wechat-template`,
   * `aliyun-sms`): part of every idempotency key and delivery record, so never renamed.
   */
  readonly kind: string;
  /** The recipient addresses the channel can send to. */
  readonly recipientKinds: readonly RecipientKind[];
  /** The templates the channel can send, as registered with the vendor. */
  readonly templates: readonly AlertTemplate[];
  send(message: AlertMessage): Promise<DeliveryResult>;
  /** Lets go of connections and timers; idempotent. Sends after it reject. */
  close(): Promise<void>;
}

export type DeliveryResult = Delivered | DeliveryFailure;

/** The vendor took the message for delivery; its receipt, where it sends one, comes later. */
export interface Delivered {
  readonly outcome: 'delivered';
  /**
   * The vendor's id of the message (WeChat's `msgid` as text: it is a 64-bit integer; Aliyun's
   * `BizId`; Tencent's `SerialNo`), for receipts and support requests.
   */
  readonly messageId: string;
  /** The key was delivered before: nothing was pushed this time, and `messageId` is the first's. */
  readonly duplicate: boolean;
}

/**
 * Why a send failed, as the notifier acts on it: a closed list, stored in delivery records.
 * Each adapter maps its vendor's codes onto it and keeps the vendor's own code beside it.
 */
export const DeliveryFailureCodes = {
  /**
   * The vendor's rate limit or quota for the account, template or number (WeChat 45009,
   * 45011; Aliyun isv.BUSINESS_LIMIT_CONTROL; Tencent LimitExceeded.*). Retry later, at
   * `retryAfterMs` when the vendor says when.
   */
  throttled: 'THROTTLED',
  /** The vendor is down, busy or answered with its own error (WeChat -1, isp.SYSTEM_ERROR). */
  vendorUnavailable: 'VENDOR_UNAVAILABLE',
  /**
   * No answer in time: the message may or may not have been pushed. A send of the same key
   * again must not push twice, so an adapter whose vendor does not de-duplicate by the key
   * asks the vendor first (Aliyun QuerySendDetails by OutId) before pushing again.
   */
  timedOut: 'TIMED_OUT',
  /** The address is not one the vendor can send to (WeChat 40003, an invalid phone number). */
  badRecipient: 'BAD_RECIPIENT',
  /**
   * The recipient does not want the channel: stopped following the account (WeChat 43004),
   * refused the template (43101), blacklisted or replied STOP. Unbind, use another channel.
   */
  recipientOptedOut: 'RECIPIENT_OPTED_OUT',
  /** The vendor refuses the template or its data (WeChat 40037, 47003; Aliyun template errors). */
  templateRejected: 'TEMPLATE_REJECTED',
  /** The account's credentials are refused even after a token refresh: configuration. */
  credentialsRejected: 'CREDENTIALS_REJECTED',
} as const;
export type DeliveryFailureCode = (typeof DeliveryFailureCodes)[keyof typeof DeliveryFailureCodes];

const retryableFailures: ReadonlySet<DeliveryFailureCode> = new Set([
  DeliveryFailureCodes.throttled,
  DeliveryFailureCodes.vendorUnavailable,
  DeliveryFailureCodes.timedOut,
]);

export interface DeliveryFailure {
  readonly outcome: 'failed';
  readonly code: DeliveryFailureCode;
  /** Whether sending the same message again later may succeed; follows from `code`. */
  readonly retryable: boolean;
  /** How long to wait before retrying, when the vendor says (next minute, next day). */
  readonly retryAfterMs?: number;
  /** The vendor's own code and message as given (`45011`, `isv.BUSINESS_LIMIT_CONTROL`). */
  readonly vendorCode: string;
  readonly vendorMessage: string;
}

export function delivered(messageId: string, duplicate = false): Delivered {
  return { outcome: 'delivered', messageId, duplicate };
}

/** A failed send; `retryable` is set from the code, so no two adapters disagree on it. */
export function deliveryFailed(
  code: DeliveryFailureCode,
  vendor: { code: string; message: string; retryAfterMs?: number },
): DeliveryFailure {
  return {
    outcome: 'failed',
    code,
    retryable: retryableFailures.has(code),
    ...(vendor.retryAfterMs === undefined ? {} : { retryAfterMs: vendor.retryAfterMs }),
    vendorCode: vendor.code,
    vendorMessage: vendor.message,
  };
}

export function isRetryable(code: DeliveryFailureCode): boolean {
  return retryableFailures.has(code);
}
