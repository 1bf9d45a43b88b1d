import {
  DeliveryFailureCodes as C,
  type DeliveryFailure,
  type DeliveryFailureCode,
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from '../alert-channel.js';
import { type Exchange, retryAfterMs } from '../http-exchange.js';
import type { UnsettledAttempt } from './attempt-store.js';
import {
  SID,
  type TwilioError,
  type TwilioMessage,
  type TwilioMessagePage,
} from './twilio-wire.js';

/**
 * Twilio's answers as delivery results: which of its error codes means what to the notifier,
 * and which outcomes leave a message Twilio may hold without our knowing (a lost answer), so
 * the next send of the key looks for it before pushing again. Pure.
 */

/** Twilio error code → what the notifier does about it (codes from Twilio's error dictionary). */
const failureByTwilioCode: ReadonlyMap<number, DeliveryFailureCode> = new Map([
  // Authenticate: wrong Account SID / Auth Token, or the account is suspended.
  [20003, C.credentialsRejected],
  // Too many concurrent requests: "never processed and always safe to retry".
  [20429, C.throttled],
  // The recipient replied STOP (or another opt-out word) to this sender.
  [21610, C.recipientOptedOut],
  // Invalid 'To'; not reachable via SMS; not a mobile number; premium-rate number.
  [21211, C.badRecipient],
  [21612, C.badRecipient],
  [21614, C.badRecipient],
  [21268, C.badRecipient],
  // The sender is not ours to use: not message-capable, not a Twilio number, another
  // account's number, no such Messaging Service. Configuration, like a wrong token.
  [21606, C.credentialsRejected],
  [21659, C.credentialsRejected],
  [21660, C.credentialsRejected],
  [21705, C.credentialsRejected],
  // No body, or longer than 1,600 characters: the template's text is at fault.
  [21602, C.templateRejected],
  [21617, C.templateRejected],
  [21619, C.templateRejected],
]);

export function failureCodeOf(
  httpStatus: number,
  twilioCode: number | undefined,
): DeliveryFailureCode {
  const known = twilioCode === undefined ? undefined : failureByTwilioCode.get(twilioCode);
  if (known) return known;
  if (httpStatus === 429) return C.throttled;
  if (httpStatus === 401) return C.credentialsRejected;
  // 5xx, and codes this adapter does not know: Twilio's own trouble as far as we can tell.
  return C.vendorUnavailable;
}

/**
 * What one create request came to. `unsettled`: Twilio may have created the message although
 * we have no answer saying so (timeout, connection lost after sending, 5xx), so a send of the
 * same key must look for it first.
 */
export interface CreateOutcome {
  readonly result: DeliveryResult;
  readonly unsettled: boolean;
}

export function outcomeOfCreate(x: Exchange, now: number): CreateOutcome {
  if (x.kind !== 'answered') return { result: failureOfNoAnswer(x), unsettled: isMaybeSent(x) };
  if (x.status === 201 || x.status === 200) {
    const sid = (parseJson(x.body) as Partial<TwilioMessage> | undefined)?.sid;
    if (typeof sid === 'string' && SID.message.test(sid))
      return { result: delivered(sid), unsettled: false };
    const failure = deliveryFailed(C.vendorUnavailable, {
      code: `HTTP ${x.status}`,
      message: 'Twilio took the request but its answer has no message sid',
    });
    return { result: failure, unsettled: true };
  }
  return { result: failureOfAnswer(x, now), unsettled: x.status >= 500 };
}

/** A list request's page, or the failure to give to the caller instead of pushing blind. */
export type ListOutcome =
  | { readonly kind: 'page'; readonly page: TwilioMessagePage }
  | { readonly kind: 'failed'; readonly result: DeliveryFailure };

export function outcomeOfList(x: Exchange, now: number): ListOutcome {
  if (x.kind !== 'answered') return { kind: 'failed', result: failureOfNoAnswer(x) };
  if (x.status !== 200) return { kind: 'failed', result: failureOfAnswer(x, now) };
  const page = parseJson(x.body) as Partial<TwilioMessagePage> | undefined;
  if (!page || !Array.isArray(page.messages))
    return {
      kind: 'failed',
      result: deliveryFailed(C.vendorUnavailable, {
        code: 'HTTP 200',
        message: 'Twilio answered the message list without a messages array',
      }),
    };
  return { kind: 'page', page: page as TwilioMessagePage };
}

/**
 * The message an unsettled attempt created, if this page has it: outbound, same `To`, same
 * sender, same `Body`, created no earlier than the attempt began. `toleranceMs` allows for
 * Twilio's clock (whole seconds, and not ours) running a little behind.
 */
export function findAttemptMessage(
  messages: readonly TwilioMessage[],
  attempt: UnsettledAttempt,
  toleranceMs: number,
): TwilioMessage | undefined {
  const { sms } = attempt;
  const earliest = attempt.startedAt - toleranceMs;
  return messages.find(
    (m) =>
      m.direction.startsWith('outbound') &&
      m.to === sms.to &&
      ('from' in sms.sender
        ? m.from === sms.sender.from
        : m.messaging_service_sid === sms.sender.messagingServiceSid) &&
      m.body === sms.body &&
      Date.parse(m.date_created) >= earliest,
  );
}

function failureOfAnswer(x: Extract<Exchange, { kind: 'answered' }>, now: number): DeliveryFailure {
  const error = twilioErrorOf(x.body);
  const code = failureCodeOf(x.status, error?.code);
  const retryAfter = code === C.throttled ? retryAfterMs(x.headers, now) : undefined;
  return deliveryFailed(code, {
    code: error ? String(error.code) : `HTTP ${x.status}`,
    message: error?.message ?? (x.body.trim().slice(0, 200) || `HTTP status ${x.status}`),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  });
}

function failureOfNoAnswer(x: Exclude<Exchange, { kind: 'answered' }>): DeliveryFailure {
  return x.kind === 'timed-out'
    ? deliveryFailed(C.timedOut, {
        code: 'TIMEOUT',
        message: `no answer from Twilio within ${x.afterMs} ms`,
      })
    : deliveryFailed(C.vendorUnavailable, { code: x.code, message: x.message });
}

function isMaybeSent(x: Exclude<Exchange, { kind: 'answered' }>): boolean {
  return x.kind === 'timed-out' || x.maybeSent;
}

function twilioErrorOf(body: string): TwilioError | undefined {
  const e = parseJson(body) as Partial<TwilioError> | undefined;
  return e && typeof e.code === 'number' && typeof e.message === 'string'
    ? (e as TwilioError)
    : undefined;
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
