import {
  DeliveryFailureCodes as Codes,
  type DeliveryFailure,
  type DeliveryFailureCode,
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from '../alert-channel.js';
import { type ApiResponse, apiResponseOf, type PullSmsSendStatus } from './sms-wire.js';
import { failureForVendorCode } from './vendor-codes.js';

/**
 * What the channel makes of each exchange with Tencent Cloud: a DeliveryResult for a SendSms,
 * found-or-not for a status pull, and whether the push may have happened though nothing says
 * so. Pure: the exchange comes in as data.
 */

/** One HTTP exchange as the transport saw it. */
export type Exchange =
  | { readonly kind: 'answer'; readonly status: number; readonly text: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  /** `sent`: whether the request may have left (a reset mid-way) or surely did not (refused). */
  | {
      readonly kind: 'network';
      readonly code: string;
      readonly message: string;
      readonly sent: boolean;
    };

export interface SendOutcome {
  readonly result: DeliveryResult;
  /**
   * No answer settled it, so the push may have reached Tencent: the next send of the key asks
   * the status reports first. Tencent does not de-duplicate by SessionContext.
   */
  readonly inDoubt: boolean;
}

/** A status pull either answers (its records) or fails like a send would. */
export type PullOutcome =
  | { readonly kind: 'records'; readonly records: readonly PullSmsSendStatus[] }
  | { readonly kind: 'failed'; readonly failure: DeliveryFailure };

/** The outcome of a SendSms to one number. */
export function sendSmsOutcome(exchange: Exchange, phoneNumber: string, now: number): SendOutcome {
  const answer = answerOf(exchange);
  if (answer.kind === 'failed') return { result: answer.failure, inDoubt: answer.inDoubt };
  const response = answer.response;
  if (response.Error) return { result: vendorFailure(response.Error, now), inDoubt: false };
  const statuses = Array.isArray(response.SendStatusSet) ? response.SendStatusSet : [];
  const status = statuses.find((s) => s?.PhoneNumber === phoneNumber) ?? statuses[0];
  if (!status || typeof status.Code !== 'string')
    return { result: malformed('the answer has no SendStatusSet entry'), inDoubt: true };
  if (status.Code !== 'Ok') return { result: vendorFailure(status, now), inDoubt: false };
  if (typeof status.SerialNo !== 'string' || status.SerialNo === '')
    return { result: malformed('the Ok status has no SerialNo'), inDoubt: true };
  return { result: delivered(status.SerialNo), inDoubt: false };
}

/** The records of a PullSmsSendStatusByPhoneNumber, or why there are none. */
export function statusPullOutcome(exchange: Exchange, now: number): PullOutcome {
  const answer = answerOf(exchange);
  if (answer.kind === 'failed') return { kind: 'failed', failure: answer.failure };
  if (answer.response.Error)
    return { kind: 'failed', failure: vendorFailure(answer.response.Error, now) };
  const records = answer.response.PullSmsSendStatusSet;
  if (!Array.isArray(records))
    return { kind: 'failed', failure: malformed('the answer has no PullSmsSendStatusSet') };
  return { kind: 'records', records };
}

/**
 * The report of the push that carried `sessionContext`, if Tencent has one. Its ReportStatus
 * does not matter: FAIL means the carrier could not hand it over, but Tencent took the push,
 * which is what `delivered` means, and sending again would not be the same push.
 */
export function reportOfPush(
  records: readonly PullSmsSendStatus[],
  sessionContext: string,
): PullSmsSendStatus | undefined {
  return records.find(
    (r) => r?.SessionContext === sessionContext && typeof r.SerialNo === 'string' && r.SerialNo,
  );
}

type Answer =
  | { readonly kind: 'response'; readonly response: ApiResponse }
  | { readonly kind: 'failed'; readonly failure: DeliveryFailure; readonly inDoubt: boolean };

/** The API answer in an exchange, or the failure that stands for its absence. */
function answerOf(exchange: Exchange): Answer {
  switch (exchange.kind) {
    case 'timeout':
      return {
        kind: 'failed',
        failure: deliveryFailed(Codes.timedOut, {
          code: 'RequestTimeout',
          message: `no answer from Tencent Cloud within ${exchange.timeoutMs} ms: the push may or may not have happened`,
        }),
        inDoubt: true,
      };
    case 'network':
      return {
        kind: 'failed',
        failure: deliveryFailed(Codes.vendorUnavailable, {
          code: exchange.code,
          message: exchange.message,
        }),
        inDoubt: exchange.sent,
      };
    case 'answer':
      return httpAnswer(exchange.status, exchange.text);
  }
}

function httpAnswer(status: number, text: string): Answer {
  if (status !== 200) {
    // API 3.0 answers every request, refusals included, with 200: anything else comes from
    // something in front of it (a gateway, a proxy) and says nothing about the push.
    const code: DeliveryFailureCode = status === 429 ? Codes.throttled : Codes.vendorUnavailable;
    const failure = deliveryFailed(code, {
      code: `HTTP ${status}`,
      message: text.slice(0, 200) || `HTTP status ${status}`,
      ...(status === 429 ? { retryAfterMs: 1000 } : {}),
    });
    return { kind: 'failed', failure, inDoubt: true };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'failed', failure: malformed('the answer is not JSON'), inDoubt: true };
  }
  const response = apiResponseOf(body);
  if (!response)
    return { kind: 'failed', failure: malformed('the answer has no Response'), inDoubt: true };
  if (response.Error !== undefined && typeof response.Error?.Code !== 'string')
    return { kind: 'failed', failure: malformed('Response.Error has no Code'), inDoubt: true };
  return { kind: 'response', response };
}

function vendorFailure(error: { Code: string; Message?: unknown }, now: number): DeliveryFailure {
  const message = typeof error.Message === 'string' ? error.Message : '';
  return failureForVendorCode(error.Code, message, now);
}

function malformed(why: string): DeliveryFailure {
  return deliveryFailed(Codes.vendorUnavailable, { code: 'MalformedAnswer', message: why });
}
