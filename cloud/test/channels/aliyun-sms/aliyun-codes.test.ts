import { describe, expect, it } from 'vitest';
import { type DeliveryFailureCode, isRetryable } from '../../../src/channels/alert-channel.js';
import {
  failureOf,
  mayHavePushed,
  meaningOf,
  retryAfterMsOf,
} from '../../../src/channels/aliyun-sms/aliyun-codes.js';

/** Aliyun's documented codes and what each means to the notifier. */
const documented: [string, DeliveryFailureCode][] = [
  ['isv.BUSINESS_LIMIT_CONTROL', 'THROTTLED'],
  ['isv.DAY_LIMIT_CONTROL', 'THROTTLED'],
  ['isv.MONTH_LIMIT_CONTROL', 'THROTTLED'],
  ['Throttling.User', 'THROTTLED'],
  ['isv.MOBILE_NUMBER_ILLEGAL', 'BAD_RECIPIENT'],
  ['isv.MOBILE_COUNT_OVER_LIMIT', 'BAD_RECIPIENT'],
  ['isv.DOMESTIC_NUMBER_NOT_SUPPORTED', 'BAD_RECIPIENT'],
  ['isv.CUSTOMER_REFUSED', 'RECIPIENT_OPTED_OUT'],
  ['isv.TEMPLATE_MISSING_PARAMETERS', 'TEMPLATE_REJECTED'],
  ['isv.SMS_TEMPLATE_ILLEGAL', 'TEMPLATE_REJECTED'],
  ['isv.SMS_SIGNATURE_ILLEGAL', 'TEMPLATE_REJECTED'],
  ['isv.SMS_SIGNATURE_SCENE_ILLEGAL', 'TEMPLATE_REJECTED'],
  ['isv.INVALID_PARAMETERS', 'TEMPLATE_REJECTED'],
  ['isv.INVALID_JSON_PARAM', 'TEMPLATE_REJECTED'],
  ['isv.TEMPLATE_PARAMS_ILLEGAL', 'TEMPLATE_REJECTED'],
  ['isv.PARAM_LENGTH_LIMIT', 'TEMPLATE_REJECTED'],
  ['isv.PARAM_NOT_SUPPORT_URL', 'TEMPLATE_REJECTED'],
  ['isv.BLACK_KEY_CONTROL_LIMIT', 'TEMPLATE_REJECTED'],
  ['isv.SMS_CONTENT_ILLEGAL', 'TEMPLATE_REJECTED'],
  ['MissingPhoneNumbers', 'TEMPLATE_REJECTED'],
  ['InvalidVersion', 'TEMPLATE_REJECTED'],
  ['InvalidAccessKeyId.NotFound', 'CREDENTIALS_REJECTED'],
  ['InvalidAccessKeyId.Inactive', 'CREDENTIALS_REJECTED'],
  ['SignatureDoesNotMatch', 'CREDENTIALS_REJECTED'],
  ['InvalidTimeStamp.Expired', 'CREDENTIALS_REJECTED'],
  ['isp.RAM_PERMISSION_DENY', 'CREDENTIALS_REJECTED'],
  ['isv.AMOUNT_NOT_ENOUGH', 'CREDENTIALS_REJECTED'],
  ['isv.OUT_OF_SERVICE', 'CREDENTIALS_REJECTED'],
  ['isv.PRODUCT_UN_SUBSCRIPT', 'CREDENTIALS_REJECTED'],
  ['isp.SYSTEM_ERROR', 'VENDOR_UNAVAILABLE'],
  ['isp.GATEWAY_ERROR', 'VENDOR_UNAVAILABLE'],
  ['ServiceUnavailable', 'VENDOR_UNAVAILABLE'],
  ['SignatureNonceUsed', 'VENDOR_UNAVAILABLE'],
  ['isv.SOMETHING_NEW', 'VENDOR_UNAVAILABLE'],
];

const NOW = Date.parse('2026-12-05T00:14:00Z'); // 08:14 in Shanghai

describe('Aliyun codes', () => {
  it.each(documented)('should read %s as %s', (code, meaning) => {
    expect(meaningOf(code)).toBe(meaning);
    expect(failureOf(code, 'its message', NOW)).toMatchObject({
      outcome: 'failed',
      code: meaning,
      retryable: isRetryable(meaning),
      vendorCode: code,
      vendorMessage: 'its message',
    });
  });

  it('should wait for the window isv.BUSINESS_LIMIT_CONTROL names, a minute when it names none', () => {
    const code = 'isv.BUSINESS_LIMIT_CONTROL';
    expect(retryAfterMsOf(code, '触发分钟级流控Permits:1', NOW)).toBe(60_000);
    expect(retryAfterMsOf(code, '触发小时级流控Permits:5', NOW)).toBe(3_600_000);
    expect(retryAfterMsOf(code, '触发天级流控Permits:10', NOW)).toBe(86_400_000);
    expect(retryAfterMsOf(code, '业务限流', NOW)).toBe(60_000);
    expect(failureOf(code, '触发小时级流控Permits:5', NOW).retryAfterMs).toBe(3_600_000);
  });

  it('should wait for Shanghai midnight and month start for the console quotas', () => {
    expect(retryAfterMsOf('isv.DAY_LIMIT_CONTROL', '触发日发送限额', NOW)).toBe(
      Date.parse('2026-12-05T16:00:00Z') - NOW,
    );
    expect(retryAfterMsOf('isv.MONTH_LIMIT_CONTROL', '触发月发送限额', NOW)).toBe(
      Date.parse('2026-12-31T16:00:00Z') - NOW,
    );
  });

  it('should give no retry time where Aliyun gives no rule', () => {
    expect(failureOf('isp.SYSTEM_ERROR', '系统错误', NOW)).not.toHaveProperty('retryAfterMs');
    expect(failureOf('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号', NOW)).not.toHaveProperty(
      'retryAfterMs',
    );
  });

  it('should leave the push open only after system errors, 5xx and unknown codes', () => {
    expect(mayHavePushed('isp.SYSTEM_ERROR', 200)).toBe(true);
    expect(mayHavePushed('isv.SOMETHING_NEW', 200)).toBe(true);
    expect(mayHavePushed('ServiceUnavailable', 503)).toBe(true);
    expect(mayHavePushed('isv.BUSINESS_LIMIT_CONTROL', 200)).toBe(false);
    expect(mayHavePushed('SignatureDoesNotMatch', 400)).toBe(false);
    expect(mayHavePushed('SignatureNonceUsed', 400)).toBe(false);
    expect(mayHavePushed('MissingSignName', 400)).toBe(false);
    expect(mayHavePushed('isp.RAM_PERMISSION_DENY', 200)).toBe(false);
  });
});
