import { recordedNumber } from '../aliyun-phone.js';
import { shanghaiDate, shanghaiDateTime, shanghaiDayStart } from '../aliyun-time.js';
import type { RpcParams } from '../rpc-signature.js';
import { type FakeAnswer, missing, newBizId, ok, vendorError } from './fake-answers.js';
import { renderedContent, type SendSmsRequest } from './fake-send-sms.js';

/**
 * The messages the fake dysmsapi accepted: one record per number, with the OutId and BizId,
 * and the receipt state QuerySendDetails reports (1 waiting for the carrier's receipt,
 * 2 failed, 3 delivered). It also applies the per-number flow control, when given.
 */

export interface FakeSmsRecord {
  readonly bizId: string;
  readonly outId: string;
  readonly phoneNumber: string;
  readonly signName: string;
  readonly templateCode: string;
  readonly templateParam: Readonly<Record<string, string>>;
  readonly content: string;
  readonly sentAt: number;
  sendStatus: 1 | 2 | 3;
  errCode: string;
  receivedAt?: number;
}

/**
 * Per-number flow control: how many messages one number may get under one signature name in
 * a sliding minute, hour and 24 hours. Aliyun's defaults for verification codes are 1, 5 and
 * 10 (verificationCodeLimits); notifications are limited to 50 a day per signature and
 * template. Off unless given.
 */
export interface NumberLimits {
  readonly perMinute?: number;
  readonly perHour?: number;
  readonly perDay?: number;
}

export const verificationCodeLimits: NumberLimits = { perMinute: 1, perHour: 5, perDay: 10 };

const windows = [
  { limit: 'perMinute', ms: 60_000, name: '分钟级' },
  { limit: 'perHour', ms: 3_600_000, name: '小时级' },
  { limit: 'perDay', ms: 86_400_000, name: '天级' },
] as const;

/** How far back QuerySendDetails looks. */
const QUERY_DAYS = 30;
const DAY_MS = 86_400_000;

export class FakeSendLog {
  private readonly records: FakeSmsRecord[] = [];

  constructor(private readonly limits: NumberLimits = {}) {}

  all(): readonly FakeSmsRecord[] {
    return this.records;
  }

  /** isv.BUSINESS_LIMIT_CONTROL naming the window a number would go past, if one would. */
  limitRefusal(request: SendSmsRequest, nowMs: number): FakeAnswer | undefined {
    for (const number of request.numbers)
      for (const w of windows) {
        const permits = this.limits[w.limit];
        if (permits === undefined) continue;
        const recent = this.records.filter(
          (r) =>
            r.phoneNumber === number && r.signName === request.signName && nowMs - r.sentAt < w.ms,
        ).length;
        if (recent >= permits)
          return vendorError('isv.BUSINESS_LIMIT_CONTROL', `触发${w.name}流控Permits:${permits}`);
      }
    return undefined;
  }

  /** Records an accepted SendSms: one BizId for the request, one record per number. */
  record(request: SendSmsRequest, nowMs: number): string {
    const bizId = newBizId();
    const content = renderedContent(request);
    for (const phoneNumber of request.numbers)
      this.records.push({
        bizId,
        outId: request.outId,
        phoneNumber,
        signName: request.signName,
        templateCode: request.template.code,
        templateParam: request.templateParam,
        content,
        sentAt: nowMs,
        sendStatus: 1,
        errCode: '',
      });
    return bizId;
  }

  /** The carrier's receipt for the records of an OutId: delivered, or failed with a code. */
  settle(outId: string, outcome: 'delivered' | 'failed', errCode: string, nowMs: number): number {
    const mine = this.records.filter((r) => r.outId === outId);
    for (const r of mine) {
      r.sendStatus = outcome === 'delivered' ? 3 : 2;
      r.errCode = outcome === 'delivered' ? 'DELIVERED' : errCode;
      r.receivedAt = nowMs;
    }
    return mine.length;
  }

  /** QuerySendDetails: one page of one number's records of one Shanghai date, newest first. */
  query(params: RpcParams, nowMs: number): FakeAnswer {
    for (const name of ['PhoneNumber', 'SendDate', 'PageSize', 'CurrentPage'])
      if (!params[name]) return missing(name);
    const number = recordedNumber(params.PhoneNumber ?? '');
    if (number === undefined)
      return vendorError(
        'isv.MOBILE_NUMBER_ILLEGAL',
        `${params.PhoneNumber} invalid mobile number`,
      );
    const dayStart = shanghaiDayStart(params.SendDate ?? '');
    const oldest = (shanghaiDayStart(shanghaiDate(nowMs)) ?? nowMs) - (QUERY_DAYS - 1) * DAY_MS;
    if (dayStart === undefined || dayStart < oldest || dayStart > nowMs)
      return vendorError(
        'isv.INVALID_PARAMETERS',
        'SendDate must be a yyyyMMdd date within 30 days',
      );
    const pageSize = wholeNumber(params.PageSize);
    const page = wholeNumber(params.CurrentPage);
    if (pageSize === undefined || pageSize < 1 || pageSize > 50 || page === undefined || page < 1)
      return vendorError('isv.INVALID_PARAMETERS', 'PageSize must be 1–50, CurrentPage from 1');
    const found = this.records
      .filter(
        (r) =>
          r.phoneNumber === number &&
          shanghaiDate(r.sentAt) === params.SendDate &&
          (params.BizId === undefined || r.bizId === params.BizId),
      )
      .reverse();
    const shown = found.slice((page - 1) * pageSize, page * pageSize).map(detailOf);
    return ok({ TotalCount: found.length, SmsSendDetailDTOs: { SmsSendDetailDTO: shown } });
  }
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** A record as QuerySendDetails shows it (SmsSendDetailDTO): no BizId, as Aliyun's has none. */
function detailOf(r: FakeSmsRecord): Record<string, unknown> {
  return {
    PhoneNum: r.phoneNumber,
    SendStatus: r.sendStatus,
    ErrCode: r.errCode,
    TemplateCode: r.templateCode,
    Content: r.content,
    SendDate: shanghaiDateTime(r.sentAt),
    ...(r.receivedAt === undefined ? {} : { ReceiveDate: shanghaiDateTime(r.receivedAt) }),
    OutId: r.outId,
  };
}
