import type { DeliveryFailure } from '../alert-channel.js';
import type { AttemptedSend } from './attempted-sends.js';
import type { RpcParams } from './rpc-signature.js';
import { type RpcOutcome, readSendDetails, SendStatuses } from './sms-answers.js';
import { querySendDetailsParams } from './sms-requests.js';

/**
 * Reconciling a key whose SendSms went unanswered: SendSms is not idempotent, so before the
 * key is pushed again QuerySendDetails is asked for what went to the number on the dates of
 * the attempts, and a record carrying the key as its OutId is the earlier push.
 */

export type EarlierPush =
  /** Aliyun has it, waiting for the carrier's receipt or delivered: do not push again. */
  | { readonly kind: 'found'; readonly messageId: string }
  /** No record, or only failed ones: push again. */
  | { readonly kind: 'none' }
  /** The query itself failed: nothing is known, so nothing is pushed. */
  | { readonly kind: 'unknown'; readonly failure: DeliveryFailure };

/** The most QuerySendDetails takes at once. */
const PAGE_SIZE = 50;
/**
 * A bound on the pages read for one date: per-number flow control keeps far fewer messages to
 * one number in a day, so more pages means something else is wrong.
 */
const MAX_PAGES = 20;

/**
 * The message id of a push found by reconciling. QuerySendDetails' records carry the OutId
 * but not the BizId, so the id is the key itself, marked as such: receipts (SmsReport) carry
 * the OutId as well, so it still finds the message.
 */
export const foundMessageId = (key: string) => `OutId:${key}`;

export async function findEarlierPush(
  call: (params: RpcParams) => Promise<RpcOutcome>,
  key: string,
  attempt: AttemptedSend,
  now: () => number,
): Promise<EarlierPush> {
  for (const sendDate of attempt.sendDates) {
    for (let currentPage = 1; currentPage <= MAX_PAGES; currentPage++) {
      const params = querySendDetailsParams({
        phoneNumber: attempt.phoneNumber,
        sendDate,
        currentPage,
        pageSize: PAGE_SIZE,
      });
      const details = readSendDetails(await call(params), now());
      if (!details.ok) return { kind: 'unknown', failure: details.failure };
      const taken = details.records.some(
        (r) =>
          r.outId === key &&
          (r.sendStatus === SendStatuses.waiting || r.sendStatus === SendStatuses.delivered),
      );
      if (taken) return { kind: 'found', messageId: foundMessageId(key) };
      const seen = (currentPage - 1) * PAGE_SIZE + details.records.length;
      if (details.records.length < PAGE_SIZE || seen >= details.totalCount) break;
    }
  }
  return { kind: 'none' };
}
