import type { PullSmsSendStatus } from '../sms-wire.js';
import { invalidParameter, missingParameter, type Refusal, refusal } from './fake-answers.js';
import { appRefusal, e164Of, type SmsRegistry } from './fake-send-sms.js';

/**
 * PullSmsSendStatusByPhoneNumber on the fake: the status reports (receipts) of one number's
 * pushes, as documented for 2021-01-11 — BeginTime (Unix seconds, at most 7 days back),
 * Offset (fixed at 0), Limit (at most 100), PhoneNumber, SmsSdkAppId, EndTime optional. A push
 * has a report only once its carrier has answered (Tencent: "only when the carrier returned a
 * receipt"), so a push whose receipt is still to come is not in the answer. Pure.
 */

/** A push the fake took, as its records keep it. */
export interface FakeSmsRecord {
  readonly serialNo: string;
  readonly phoneNumber: string;
  readonly smsSdkAppId: string;
  readonly signName: string;
  readonly templateId: string;
  readonly templateParams: readonly string[];
  readonly sessionContext: string;
  /** Epoch milliseconds when it was taken, and when its carrier's receipt arrives. */
  readonly sentAt: number;
  readonly receiptAt: number;
}

export interface StatusPull {
  readonly phoneNumber: string;
  readonly smsSdkAppId: string;
  readonly beginTime: number;
  readonly endTime: number | undefined;
  readonly limit: number;
}

const reportsKeptSeconds = 7 * 86_400;
const pullParameters = new Set([
  'BeginTime',
  'Offset',
  'Limit',
  'PhoneNumber',
  'SmsSdkAppId',
  'EndTime',
]);

export function checkStatusPull(
  body: Readonly<Record<string, unknown>>,
  secretId: string,
  registry: SmsRegistry,
  now: number,
): StatusPull | Refusal {
  const unknown = Object.keys(body).find((k) => !pullParameters.has(k));
  if (unknown !== undefined)
    return refusal('UnknownParameter', `The parameter \`${unknown}\` is not recognized.`);
  for (const name of ['BeginTime', 'Offset', 'Limit', 'PhoneNumber', 'SmsSdkAppId'])
    if (body[name] === undefined || body[name] === null) return missingParameter(name);
  for (const name of ['BeginTime', 'Offset', 'Limit', 'EndTime'])
    if (body[name] !== undefined && !Number.isSafeInteger(body[name]))
      return invalidParameter(name);
  for (const name of ['PhoneNumber', 'SmsSdkAppId'])
    if (typeof body[name] !== 'string') return invalidParameter(name);
  const { BeginTime, Offset, Limit, EndTime } = body as Record<string, number | undefined>;
  if (Offset !== 0) return refusal('InvalidParameterValue.OffsetVerifyFail');
  if (Limit! < 1 || Limit! > 100) return refusal('InvalidParameterValue.LimitVerifyFail');
  if (BeginTime! < Math.floor(now / 1000) - reportsKeptSeconds)
    return refusal('InvalidParameterValue.BeginTimeVerifyFail');
  if (EndTime !== undefined && EndTime < BeginTime!)
    return refusal('InvalidParameterValue.InvalidStartTime');
  const phoneNumber = e164Of(body.PhoneNumber as string);
  if (phoneNumber === undefined) return refusal('InvalidParameterValue.IncorrectPhoneNumber');
  const smsSdkAppId = body.SmsSdkAppId as string;
  const app = appRefusal(smsSdkAppId, secretId, registry);
  if (app) return app;
  return { phoneNumber, smsSdkAppId, beginTime: BeginTime!, endTime: EndTime, limit: Limit! };
}

/** The reports the pull gets: the number's pushes whose receipt is in, in the time range. */
export function reportsFor(
  records: readonly FakeSmsRecord[],
  pull: StatusPull,
  now: number,
): PullSmsSendStatus[] {
  return records
    .filter((r) => {
      const received = Math.floor(r.receiptAt / 1000);
      return (
        r.phoneNumber === pull.phoneNumber &&
        r.smsSdkAppId === pull.smsSdkAppId &&
        r.receiptAt <= now &&
        received >= pull.beginTime &&
        (pull.endTime === undefined || received <= pull.endTime)
      );
    })
    .slice(0, pull.limit)
    .map((r) => ({
      UserReceiveTime: Math.floor(r.receiptAt / 1000),
      CountryCode: countryCodeOf(r.phoneNumber),
      SubscriberNumber: r.phoneNumber.slice(1 + countryCodeOf(r.phoneNumber).length),
      PhoneNumber: r.phoneNumber,
      SerialNo: r.serialNo,
      ReportStatus: 'SUCCESS',
      Description: 'DELIVRD',
      SessionContext: r.sessionContext,
    }));
}

/** Calling codes the fake tells apart; a number with another one reads as its first 2 digits. */
const callingCodes = [
  '852',
  '853',
  '886',
  '86',
  '81',
  '82',
  '65',
  '61',
  '49',
  '44',
  '33',
  '7',
  '1',
];

/** The calling code (`86`) of an E.164 number, as status reports give it apart. */
export function countryCodeOf(e164: string): string {
  return callingCodes.find((c) => e164.startsWith(`+${c}`)) ?? e164.slice(1, 3);
}
