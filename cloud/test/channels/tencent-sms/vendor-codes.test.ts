import { describe, expect, it } from 'vitest';
import { type DeliveryFailureCode, isRetryable } from '../../../src/channels/alert-channel.js';
import {
  failureCodeOf,
  failureForVendorCode,
  retryAfterFor,
  untilNextChinaMidnight,
} from '../../../src/channels/tencent-sms/vendor-codes.js';

// 2026-12-05 08:14:00 in Beijing (00:14 UTC): 15 h 46 min to the next midnight in China.
const now = Date.parse('2026-12-05T08:14:00+08:00');
const toChinaMidnight = (15 * 60 + 46) * 60_000;

const documented: [string, DeliveryFailureCode, number | undefined][] = [
  ['LimitExceeded.PhoneNumberThirtySecondLimit', 'THROTTLED', 30_000],
  ['LimitExceeded.PhoneNumberOneHourLimit', 'THROTTLED', 3_600_000],
  ['LimitExceeded.PhoneNumberDailyLimit', 'THROTTLED', toChinaMidnight],
  ['LimitExceeded.PhoneNumberSameContentDailyLimit', 'THROTTLED', toChinaMidnight],
  ['LimitExceeded.AppDailyLimit', 'THROTTLED', toChinaMidnight],
  ['LimitExceeded.DailyLimit', 'THROTTLED', toChinaMidnight],
  ['LimitExceeded.DeliveryFrequencyLimit', 'THROTTLED', undefined],
  ['RequestLimitExceeded', 'THROTTLED', 1000],
  ['FailedOperation.PhoneNumberInBlacklist', 'RECIPIENT_OPTED_OUT', undefined],
  ['InvalidParameterValue.IncorrectPhoneNumber', 'BAD_RECIPIENT', undefined],
  ['FailedOperation.PhoneNumberParseFail', 'BAD_RECIPIENT', undefined],
  ['UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber', 'BAD_RECIPIENT', undefined],
  ['UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone', 'BAD_RECIPIENT', undefined],
  ['FailedOperation.TemplateIncorrectOrUnapproved', 'TEMPLATE_REJECTED', undefined],
  ['FailedOperation.SignatureIncorrectOrUnapproved', 'TEMPLATE_REJECTED', undefined],
  ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'TEMPLATE_REJECTED', undefined],
  ['InvalidParameterValue.TemplateParameterFormatError', 'TEMPLATE_REJECTED', undefined],
  ['InvalidParameterValue.ProhibitedUseUrlInTemplateParameter', 'TEMPLATE_REJECTED', undefined],
  ['FailedOperation.ContainSensitiveWord', 'TEMPLATE_REJECTED', undefined],
  ['MissingParameter', 'TEMPLATE_REJECTED', undefined],
  ['AuthFailure.SignatureFailure', 'CREDENTIALS_REJECTED', undefined],
  ['AuthFailure.SecretIdNotFound', 'CREDENTIALS_REJECTED', undefined],
  ['AuthFailure.SignatureExpire', 'CREDENTIALS_REJECTED', undefined],
  ['AuthFailure.InvalidAuthorization', 'CREDENTIALS_REJECTED', undefined],
  ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'CREDENTIALS_REJECTED', undefined],
  ['UnauthorizedOperation.SerivceSuspendDueToArrears', 'CREDENTIALS_REJECTED', undefined],
  ['InvalidParameterValue.SdkAppIdNotExist', 'CREDENTIALS_REJECTED', undefined],
  ['FailedOperation.InsufficientBalanceInSmsPackage', 'CREDENTIALS_REJECTED', undefined],
  ['InternalError.RequestTimeException', 'CREDENTIALS_REJECTED', undefined],
  ['UnsupportedRegion', 'CREDENTIALS_REJECTED', undefined],
  ['InternalError.Timeout', 'VENDOR_UNAVAILABLE', undefined],
  ['InternalError.SendAndRecvFail', 'VENDOR_UNAVAILABLE', undefined],
  ['InternalError.OtherError', 'VENDOR_UNAVAILABLE', undefined],
  ['InternalError', 'VENDOR_UNAVAILABLE', undefined],
  ['FailedOperation.SomethingNew', 'VENDOR_UNAVAILABLE', undefined],
];

describe('Tencent Cloud SMS error codes', () => {
  it.each(documented)('should map %s to %s', (vendorCode, code, retryAfterMs) => {
    const failure = failureForVendorCode(vendorCode, 'as Tencent said it', now);
    expect(failure).toMatchObject({
      outcome: 'failed',
      code,
      retryable: isRetryable(code),
      vendorCode,
    });
    expect(failure.retryAfterMs).toBe(retryAfterMs);
    expect(failure.vendorMessage).toContain('as Tencent said it');
  });

  it('should say a clock problem where the code means one', () => {
    expect(failureForVendorCode('AuthFailure.SignatureExpire', 'Signature expired.', now)).toEqual(
      expect.objectContaining({
        vendorMessage: expect.stringMatching(/clock is more than 5 minutes off.*Signature expired/),
      }),
    );
    expect(
      failureForVendorCode('InternalError.RequestTimeException', 'time exception', now)
        .vendorMessage,
    ).toMatch(/clock is more than 10 minutes off/);
    expect(failureForVendorCode('AuthFailure.SignatureFailure', 'bad', now).vendorMessage).toBe(
      'bad',
    );
  });

  it('should not take a code for another that merely starts like it', () => {
    expect(failureCodeOf('LimitExceededButNotReally')).toBe('VENDOR_UNAVAILABLE');
    expect(failureCodeOf('AuthFailureX')).toBe('VENDOR_UNAVAILABLE');
  });

  it('should count a day’s limit to midnight in China, whatever the host’s time zone', () => {
    expect(untilNextChinaMidnight(Date.parse('2026-12-05T23:59:59+08:00'))).toBe(1000);
    expect(untilNextChinaMidnight(Date.parse('2026-12-05T00:00:00+08:00'))).toBe(86_400_000);
    expect(untilNextChinaMidnight(Date.parse('2026-12-05T15:30:00Z'))).toBe(30 * 60_000);
    expect(retryAfterFor('LimitExceeded.PhoneNumberDailyLimit', now)).toBe(toChinaMidnight);
    expect(retryAfterFor('FailedOperation.PhoneNumberInBlacklist', now)).toBeUndefined();
  });
});
