import {
  type DeliveryFailure,
  type DeliveryResult,
  delivered,
  deliveryFailed,
  DeliveryFailureCodes as F,
} from '../alert-channel.js';
import { failureOf, mayHavePushed } from './aliyun-codes.js';

/**
 * Aliyun's answers read: SendSms' `{Code, Message, BizId, RequestId}` and QuerySendDetails'
 * records, or the lack of an answer. Business refusals come as HTTP 200 with a Code other
 * than `OK`; the gateway's refusals (signature, key, missing parameters) as 4xx with the same
 * body shape. Pure.
 */

/** What one call came to: an answer of the vendor's, or none. */
export type RpcOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly body: unknown }
  /** No answer in time (or the channel closed while waiting): the call may have worked. */
  | { readonly kind: 'timedOut'; readonly code: string; readonly message: string }
  /** The request failed on the way (refused connection, reset, DNS). */
  | { readonly kind: 'unreachable'; readonly code: string; readonly message: string };

/** Whether the message went out: `unknown` leaves the key to reconcile before a resend. */
export type PushState = 'pushed' | 'not-pushed' | 'unknown';

export interface SendSmsVerdict {
  readonly result: DeliveryResult;
  readonly push: PushState;
}

interface VendorAnswer {
  readonly code: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The Code and Message of an answer body, or undefined when it is not Aliyun's shape. */
function vendorAnswer(body: unknown): VendorAnswer | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  if (typeof fields.Code !== 'string' || fields.Code === '') return undefined;
  const message = typeof fields.Message === 'string' ? fields.Message : '';
  return { code: fields.Code, message, fields };
}

/** A failure for no answer at all, or for a body that is not Aliyun's. */
function withoutAnswer(outcome: RpcOutcome): DeliveryFailure {
  switch (outcome.kind) {
    case 'timedOut':
      return deliveryFailed(F.timedOut, outcome);
    case 'unreachable':
      return deliveryFailed(F.vendorUnavailable, outcome);
    case 'answered': {
      const text = typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body);
      return deliveryFailed(F.vendorUnavailable, {
        code: `HTTP ${outcome.status}`,
        message: (text ?? '').slice(0, 200) || 'an answer without Code',
      });
    }
  }
}

/** What a SendSms call came to, and whether the message may have gone out. */
export function readSendSms(outcome: RpcOutcome, nowMs: number): SendSmsVerdict {
  const answer = outcome.kind === 'answered' ? vendorAnswer(outcome.body) : undefined;
  if (outcome.kind !== 'answered' || !answer) {
    // No readable answer: a 4xx without Aliyun's body is a refusal on the way in (a proxy's);
    // everything else may have been sent.
    const refused = outcome.kind === 'answered' && outcome.status >= 400 && outcome.status < 500;
    return { result: withoutAnswer(outcome), push: refused ? 'not-pushed' : 'unknown' };
  }
  if (answer.code === 'OK') {
    const bizId = answer.fields.BizId;
    if (typeof bizId === 'string' && bizId !== '')
      return { result: delivered(bizId), push: 'pushed' };
    const failure = deliveryFailed(F.vendorUnavailable, {
      code: 'OK',
      message: 'SendSms answered OK without a BizId',
    });
    return { result: failure, push: 'unknown' };
  }
  return {
    result: failureOf(answer.code, answer.message, nowMs),
    push: mayHavePushed(answer.code, outcome.status) ? 'unknown' : 'not-pushed',
  };
}

/** QuerySendDetails' SendStatus: 1 waiting for the carrier's receipt, 2 failed, 3 delivered. */
export const SendStatuses = { waiting: 1, failed: 2, delivered: 3 } as const;

/** One record of QuerySendDetails, as far as reconciling needs it. */
export interface SendRecord {
  readonly outId: string;
  readonly sendStatus: number;
  readonly errCode: string;
}

export type SendDetails =
  | { readonly ok: true; readonly records: readonly SendRecord[]; readonly totalCount: number }
  | { readonly ok: false; readonly failure: DeliveryFailure };

/** The records of a QuerySendDetails answer (`SmsSendDetailDTOs.SmsSendDetailDTO[]`). */
export function readSendDetails(outcome: RpcOutcome, nowMs: number): SendDetails {
  const answer = outcome.kind === 'answered' ? vendorAnswer(outcome.body) : undefined;
  if (!answer) return { ok: false, failure: withoutAnswer(outcome) };
  if (answer.code !== 'OK')
    return { ok: false, failure: failureOf(answer.code, answer.message, nowMs) };
  const list = (answer.fields.SmsSendDetailDTOs as { SmsSendDetailDTO?: unknown } | undefined)
    ?.SmsSendDetailDTO;
  const records = (Array.isArray(list) ? list : []).map(sendRecord);
  // TotalCount is a number in some answers and a string in others.
  const total = Number(answer.fields.TotalCount ?? records.length);
  return { ok: true, records, totalCount: Number.isFinite(total) ? total : records.length };
}

function sendRecord(dto: unknown): SendRecord {
  const d = (typeof dto === 'object' && dto !== null ? dto : {}) as Record<string, unknown>;
  return {
    outId: typeof d.OutId === 'string' ? d.OutId : '',
    sendStatus: Number(d.SendStatus),
    errCode: typeof d.ErrCode === 'string' ? d.ErrCode : '',
  };
}
