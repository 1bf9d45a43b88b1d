import { describe, expect, it } from 'vitest';
import { delivered } from '../../../src/channels/alert-channel.js';
import {
  type RpcOutcome,
  readSendDetails,
  readSendSms,
} from '../../../src/channels/aliyun-sms/sms-answers.js';

const NOW = Date.parse('2026-12-05T00:14:00Z');
const answered = (status: number, body: unknown): RpcOutcome => ({
  kind: 'answered',
  status,
  body,
});

describe('SendSms answers', () => {
  it('should take Code OK with a BizId as delivered', () => {
    const ok = { Message: 'OK', RequestId: 'R', BizId: '402617584525830937^0', Code: 'OK' };
    expect(readSendSms(answered(200, ok), NOW)).toEqual({
      result: delivered('402617584525830937^0'),
      push: 'pushed',
    });
  });

  it('should not call an OK without a BizId delivered, and leave it to reconcile', () => {
    expect(readSendSms(answered(200, { Code: 'OK', Message: 'OK' }), NOW)).toMatchObject({
      result: { outcome: 'failed', code: 'VENDOR_UNAVAILABLE', vendorCode: 'OK' },
      push: 'unknown',
    });
  });

  it('should keep the vendor code and message of a refusal, and know it pushed nothing', () => {
    const body = {
      Message: '139523483377invalid mobile number',
      RequestId: 'R',
      Code: 'isv.MOBILE_NUMBER_ILLEGAL',
    };
    expect(readSendSms(answered(200, body), NOW)).toEqual({
      result: {
        outcome: 'failed',
        code: 'BAD_RECIPIENT',
        retryable: false,
        vendorCode: 'isv.MOBILE_NUMBER_ILLEGAL',
        vendorMessage: '139523483377invalid mobile number',
      },
      push: 'not-pushed',
    });
    const limited = { Message: '触发分钟级流控Permits:1', Code: 'isv.BUSINESS_LIMIT_CONTROL' };
    expect(readSendSms(answered(200, limited), NOW).result).toMatchObject({
      code: 'THROTTLED',
      retryable: true,
      retryAfterMs: 60_000,
    });
  });

  it('should read the gateway’s 4xx refusals by their Code', () => {
    const body = {
      Code: 'SignatureDoesNotMatch',
      Message: 'Specified signature is not matched with our calculation.',
    };
    expect(readSendSms(answered(400, body), NOW)).toMatchObject({
      result: { code: 'CREDENTIALS_REJECTED', vendorCode: 'SignatureDoesNotMatch' },
      push: 'not-pushed',
    });
  });

  it('should take a 5xx, a body that is not Aliyun’s, a timeout and a failed connection as unknown', () => {
    expect(readSendSms(answered(502, '<html>502 Bad Gateway</html>'), NOW)).toEqual({
      result: {
        outcome: 'failed',
        code: 'VENDOR_UNAVAILABLE',
        retryable: true,
        vendorCode: 'HTTP 502',
        vendorMessage: '<html>502 Bad Gateway</html>',
      },
      push: 'unknown',
    });
    expect(readSendSms(answered(503, { Code: 'ServiceUnavailable', Message: 'm' }), NOW).push).toBe(
      'unknown',
    );
    expect(readSendSms(answered(200, { Message: 'no code' }), NOW).push).toBe('unknown');
    expect(readSendSms(answered(403, 'Forbidden'), NOW).push).toBe('not-pushed');
    const timedOut = readSendSms(
      { kind: 'timedOut', code: 'TimeoutError', message: 'no answer within 5000 ms' },
      NOW,
    );
    expect(timedOut).toEqual({
      result: {
        outcome: 'failed',
        code: 'TIMED_OUT',
        retryable: true,
        vendorCode: 'TimeoutError',
        vendorMessage: 'no answer within 5000 ms',
      },
      push: 'unknown',
    });
    const refused = readSendSms(
      { kind: 'unreachable', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      NOW,
    );
    expect(refused).toMatchObject({
      result: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'ECONNREFUSED' },
      push: 'unknown',
    });
  });
});

describe('QuerySendDetails answers', () => {
  it('should read the records, with TotalCount as a number or a string', () => {
    const body = {
      Code: 'OK',
      Message: 'OK',
      RequestId: 'R',
      TotalCount: '2',
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: [
          {
            PhoneNum: '13800138000',
            SendStatus: 3,
            ErrCode: 'DELIVERED',
            OutId: 'k1',
            SendDate: '2026-12-05 08:14:00',
          },
          { PhoneNum: '13800138000', SendStatus: 1, ErrCode: '', SendDate: '2026-12-05 08:13:00' },
        ],
      },
    };
    expect(readSendDetails(answered(200, body), NOW)).toEqual({
      ok: true,
      totalCount: 2,
      records: [
        { outId: 'k1', sendStatus: 3, errCode: 'DELIVERED' },
        { outId: '', sendStatus: 1, errCode: '' },
      ],
    });
    expect(readSendDetails(answered(200, { Code: 'OK', TotalCount: 0 }), NOW)).toEqual({
      ok: true,
      totalCount: 0,
      records: [],
    });
  });

  it('should turn a refused or unanswered query into the failure it is', () => {
    expect(
      readSendDetails(answered(200, { Code: 'isv.INVALID_PARAMETERS', Message: '参数异常' }), NOW),
    ).toMatchObject({
      ok: false,
      failure: { code: 'TEMPLATE_REJECTED', vendorCode: 'isv.INVALID_PARAMETERS' },
    });
    expect(
      readSendDetails({ kind: 'timedOut', code: 'TimeoutError', message: 'no answer' }, NOW),
    ).toMatchObject({ ok: false, failure: { code: 'TIMED_OUT' } });
  });
});
