import {
  DeliveryFailureCodes as Codes,
  type DeliveryFailure,
  type DeliveryFailureCode,
  deliveryFailed,
} from '../alert-channel.js';

/**
 * Tencent Cloud SMS error codes (API 3.0, version 2021-01-11: the common codes and the SMS
 * ones) as the notifier acts on them. They come either as `Response.Error.Code` or, for one
 * number of a SendSms, as `SendStatusSet[].Code`; the meaning is the same. Pure.
 */

/** Codes whose meaning is exact; the rest go by their prefix (see byPrefix). */
const exactCodes: Readonly<Record<string, DeliveryFailureCode>> = {
  // The number's owner unsubscribed, or the carrier lists the number as do-not-disturb.
  // Tencent documents no separate unsubscribe code: this one covers both.
  'FailedOperation.PhoneNumberInBlacklist': Codes.recipientOptedOut,

  'InvalidParameterValue.IncorrectPhoneNumber': Codes.badRecipient,
  'FailedOperation.PhoneNumberParseFail': Codes.badRecipient,
  'MissingParameter.EmptyPhoneNumberSet': Codes.badRecipient,
  // The account's settings exclude the number's country or region.
  'LimitExceeded.AppCountryOrRegionInBlacklist': Codes.badRecipient,
  'UnsupportedOperation.UnsupportedRegion': Codes.badRecipient,
  'UnsupportedOperation.UnsuportedRegion': Codes.badRecipient, // sic, an older spelling
  // A mainland template to a number abroad, or the other way round: not a number this
  // channel's templates can reach.
  'UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone': Codes.badRecipient,
  'UnsupportedOperation.GlobalTemplateToChineseMainlandPhone': Codes.badRecipient,
  'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber': Codes.badRecipient,

  'FailedOperation.TemplateIncorrectOrUnapproved': Codes.templateRejected,
  'FailedOperation.TemplateUnapprovedOrNotExist': Codes.templateRejected,
  'FailedOperation.TemplateIdNotExist': Codes.templateRejected,
  'FailedOperation.TemplateParamSetNotMatchApprovedTemplate': Codes.templateRejected,
  'FailedOperation.MissingTemplateList': Codes.templateRejected,
  'FailedOperation.SignatureIncorrectOrUnapproved': Codes.templateRejected,
  'FailedOperation.MissingSignatureList': Codes.templateRejected,
  'FailedOperation.ContainSensitiveWord': Codes.templateRejected,
  'FailedOperation.JsonParseFail': Codes.templateRejected,
  'FailedOperation.FailResolvePacket': Codes.templateRejected,
  'InvalidParameterValue.TemplateParameterFormatError': Codes.templateRejected,
  'InvalidParameterValue.TemplateParameterLengthLimit': Codes.templateRejected,
  'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter': Codes.templateRejected,
  'InvalidParameterValue.ContentLengthLimit': Codes.templateRejected,

  // The account, not the message: an operator has to act (keys, app, balance, allowlist).
  'InvalidParameterValue.SdkAppIdNotExist': Codes.credentialsRejected,
  'FailedOperation.InsufficientBalanceInSmsPackage': Codes.credentialsRejected,
  // Tencent says this one is the caller's clock being off by more than 10 minutes.
  'InternalError.RequestTimeException': Codes.credentialsRejected,
  InvalidAction: Codes.credentialsRejected,
  NoSuchVersion: Codes.credentialsRejected,
  UnsupportedRegion: Codes.credentialsRejected,
  UnsupportedProtocol: Codes.credentialsRejected,
};

const byPrefix: readonly (readonly [string, DeliveryFailureCode])[] = [
  ['AuthFailure', Codes.credentialsRejected],
  ['UnauthorizedOperation', Codes.credentialsRejected],
  ['LimitExceeded', Codes.throttled],
  ['RequestLimitExceeded', Codes.throttled],
  ['InternalError', Codes.vendorUnavailable],
  // Parameters Tencent refuses are the message's data: the same request fails the same way.
  ['MissingParameter', Codes.templateRejected],
  ['InvalidParameter', Codes.templateRejected],
  ['InvalidParameterValue', Codes.templateRejected],
  ['UnknownParameter', Codes.templateRejected],
];

/** Codes that mean the caller's clock is off: the message says so, as the code alone does not. */
const clockCodes: Readonly<Record<string, string>> = {
  'AuthFailure.SignatureExpire':
    "this host's clock is more than 5 minutes off Tencent Cloud's: fix its time sync",
  'InternalError.RequestTimeException':
    "this host's clock is more than 10 minutes off Tencent Cloud's: fix its time sync",
};

/** The limits counted per calendar day; Tencent's day is China Standard Time's (UTC+8). */
const dailyLimits = new Set([
  'LimitExceeded.PhoneNumberDailyLimit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit',
  'LimitExceeded.AppDailyLimit',
  'LimitExceeded.DailyLimit',
  'LimitExceeded.AppCountryOrRegionDailyLimit',
  'LimitExceeded.AppGlobalDailyLimit',
  'LimitExceeded.AppMainlandChinaDailyLimit',
]);

/** What a Tencent error code means for the notifier, with the vendor's code and message kept. */
export function failureForVendorCode(code: string, message: string, now: number): DeliveryFailure {
  const failure = failureCodeOf(code);
  const clock = clockCodes[code];
  const retryAfterMs = failure === Codes.throttled ? retryAfterFor(code, now) : undefined;
  return deliveryFailed(failure, {
    code,
    message: clock ? `${clock} (${message})` : message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The DeliveryFailureCode of a Tencent code; an unknown code is the vendor's own error. */
export function failureCodeOf(code: string): DeliveryFailureCode {
  const exact = exactCodes[code];
  if (exact) return exact;
  for (const [prefix, failure] of byPrefix)
    if (code === prefix || code.startsWith(`${prefix}.`)) return failure;
  return Codes.vendorUnavailable;
}

/**
 * When a rate limit lets the number or account through again, where the code says: the
 * 30-second and one-hour windows per number, the day's limits at the next midnight in China,
 * the API's per-second request limit after a second. Others (the console's own frequency
 * policies) do not say when.
 */
export function retryAfterFor(code: string, now: number): number | undefined {
  if (code === 'LimitExceeded.PhoneNumberThirtySecondLimit') return 30_000;
  if (code === 'LimitExceeded.PhoneNumberOneHourLimit') return 3_600_000;
  if (dailyLimits.has(code)) return untilNextChinaMidnight(now);
  if (code === 'RequestLimitExceeded' || code.startsWith('RequestLimitExceeded.')) return 1000;
  return undefined;
}

const dayMs = 86_400_000;
const chinaOffsetMs = 8 * 3_600_000; // UTC+8 all year: China has no daylight saving time

/** Milliseconds from `now` to the next 00:00 in China (UTC+8); never 0. */
export function untilNextChinaMidnight(now: number): number {
  const sinceMidnight = (((now + chinaOffsetMs) % dayMs) + dayMs) % dayMs;
  return dayMs - sinceMidnight;
}
