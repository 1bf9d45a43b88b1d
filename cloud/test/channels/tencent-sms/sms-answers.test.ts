import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../../src/channels/alert-message.js';
import {
  type Exchange,
  reportOfPush,
  sendSmsOutcome,
  statusPullOutcome,
} from '../../../src/channels/tencent-sms/sms-answers.js';
import {
  type PullSmsSendStatus,
  sendSmsRequest,
  statusPullRequest,
} from '../../../src/channels/tencent-sms/sms-wire.js';
import { exchangeOfError } from '../../../src/channels/tencent-sms/tencent-cloud-api.js';

const phone = '+8613800138000';
const now = Date.parse('2026-12-05T08:14:00+08:00');
const answer = (response: object): Exchange => ({
  kind: 'answer',
  status: 200,
  text: JSON.stringify({ Response: { ...response, RequestId: 'r-1' } }),
});
const status = (code: string, serialNo = '') => ({
  SerialNo: serialNo,
  PhoneNumber: phone,
  Fee: code === 'Ok' ? 1 : 0,
  SessionContext: 'key-1',
  Code: code,
  Message: code === 'Ok' ? 'send success' : 'refused',
  IsoCode: 'CN',
});

describe('SendSms answers', () => {
  it('should be delivered with the SerialNo when the number’s Code is Ok', () => {
    const serial = '5000:1045710669157053657849499619';
    expect(sendSmsOutcome(answer({ SendStatusSet: [status('Ok', serial)] }), phone, now)).toEqual({
      result: { outcome: 'delivered', messageId: serial, duplicate: false },
      inDoubt: false,
    });
  });

  it('should take the entry of its own number', () => {
    const other = { ...status('Ok', '1:other'), PhoneNumber: '+8613900139000' };
    const outcome = sendSmsOutcome(
      answer({ SendStatusSet: [other, status('FailedOperation.PhoneNumberInBlacklist')] }),
      phone,
      now,
    );
    expect(outcome.result).toMatchObject({ code: 'RECIPIENT_OPTED_OUT' });
  });

  it('should fail with the per-number code and message, the push settled', () => {
    const outcome = sendSmsOutcome(
      answer({ SendStatusSet: [status('LimitExceeded.PhoneNumberThirtySecondLimit')] }),
      phone,
      now,
    );
    expect(outcome).toEqual({
      result: {
        outcome: 'failed',
        code: 'THROTTLED',
        retryable: true,
        retryAfterMs: 30_000,
        vendorCode: 'LimitExceeded.PhoneNumberThirtySecondLimit',
        vendorMessage: 'refused',
      },
      inDoubt: false,
    });
  });

  it('should fail with Response.Error, the push settled', () => {
    const outcome = sendSmsOutcome(
      answer({ Error: { Code: 'AuthFailure.SecretIdNotFound', Message: 'Key does not exist.' } }),
      phone,
      now,
    );
    expect(outcome).toEqual({
      result: expect.objectContaining({
        code: 'CREDENTIALS_REJECTED',
        vendorCode: 'AuthFailure.SecretIdNotFound',
        vendorMessage: 'Key does not exist.',
      }),
      inDoubt: false,
    });
  });

  it.each<[string, Exchange, string, string]>([
    ['a timeout', { kind: 'timeout', timeoutMs: 300 }, 'TIMED_OUT', 'RequestTimeout'],
    [
      'a connection lost mid-request',
      { kind: 'network', code: 'UND_ERR_SOCKET', message: 'other side closed', sent: true },
      'VENDOR_UNAVAILABLE',
      'UND_ERR_SOCKET',
    ],
    [
      'HTTP 502',
      { kind: 'answer', status: 502, text: 'Bad Gateway' },
      'VENDOR_UNAVAILABLE',
      'HTTP 502',
    ],
    ['HTTP 429', { kind: 'answer', status: 429, text: '' }, 'THROTTLED', 'HTTP 429'],
    [
      'a body that is not JSON',
      { kind: 'answer', status: 200, text: '<html>' },
      'VENDOR_UNAVAILABLE',
      'MalformedAnswer',
    ],
    [
      'JSON without Response',
      { kind: 'answer', status: 200, text: '{"ok":1}' },
      'VENDOR_UNAVAILABLE',
      'MalformedAnswer',
    ],
    [
      'Ok without a SerialNo',
      answer({ SendStatusSet: [status('Ok')] }),
      'VENDOR_UNAVAILABLE',
      'MalformedAnswer',
    ],
    [
      'an empty SendStatusSet',
      answer({ SendStatusSet: [] }),
      'VENDOR_UNAVAILABLE',
      'MalformedAnswer',
    ],
  ])('should leave the key in doubt after %s', (_, exchange, code, vendorCode) => {
    const outcome = sendSmsOutcome(exchange, phone, now);
    expect(outcome.inDoubt).toBe(true);
    expect(outcome.result).toMatchObject({ outcome: 'failed', code, vendorCode });
  });

  it('should not leave the key in doubt when the request never left', () => {
    const refused: Exchange = {
      kind: 'network',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
      sent: false,
    };
    expect(sendSmsOutcome(refused, phone, now)).toEqual({
      result: expect.objectContaining({ code: 'VENDOR_UNAVAILABLE', vendorCode: 'ECONNREFUSED' }),
      inDoubt: false,
    });
  });
});

describe('status pulls', () => {
  const report = (sessionContext: string, serialNo: string): PullSmsSendStatus => ({
    UserReceiveTime: 1_780_000_000,
    CountryCode: '86',
    SubscriberNumber: '13800138000',
    PhoneNumber: phone,
    SerialNo: serialNo,
    ReportStatus: 'SUCCESS',
    Description: 'DELIVRD',
    SessionContext: sessionContext,
  });

  it('should find the report whose SessionContext is the key, whatever its ReportStatus', () => {
    const outcome = statusPullOutcome(
      answer({
        PullSmsSendStatusSet: [
          report('other-key', '1:a'),
          { ...report('key-1', '1:b'), ReportStatus: 'FAIL' },
        ],
      }),
      now,
    );
    expect(outcome.kind).toBe('records');
    if (outcome.kind !== 'records') return;
    expect(reportOfPush(outcome.records, 'key-1')?.SerialNo).toBe('1:b');
    expect(reportOfPush(outcome.records, 'key-2')).toBeUndefined();
  });

  it('should fail like a send when the pull is refused or unanswered', () => {
    const refused = statusPullOutcome(
      answer({ Error: { Code: 'InvalidParameterValue.LimitVerifyFail', Message: 'Limit' } }),
      now,
    );
    expect(refused).toMatchObject({ kind: 'failed', failure: { code: 'TEMPLATE_REJECTED' } });
    expect(statusPullOutcome({ kind: 'timeout', timeoutMs: 300 }, now)).toMatchObject({
      kind: 'failed',
      failure: { code: 'TIMED_OUT' },
    });
    expect(statusPullOutcome(answer({}), now)).toMatchObject({
      kind: 'failed',
      failure: { vendorCode: 'MalformedAnswer' },
    });
  });

  it('should search from 5 minutes before the first push, within the 7 days Tencent keeps', () => {
    const since = now - 60_000;
    expect(statusPullRequest({ phoneNumber: phone, since }, '1400006666', now)).toEqual({
      BeginTime: Math.floor(since / 1000) - 300,
      Offset: 0,
      Limit: 100,
      PhoneNumber: phone,
      SmsSdkAppId: '1400006666',
    });
    const longAgo = now - 30 * 86_400_000;
    expect(statusPullRequest({ phoneNumber: phone, since: longAgo }, '1', now).BeginTime).toBe(
      Math.floor(now / 1000) - 7 * 86_400 + 300,
    );
  });
});

describe('SendSms requests', () => {
  it('should put the parameters in the template’s order and the key in SessionContext', () => {
    const message: AlertMessage = {
      idempotencyKey: 'key-1',
      alertId: 'alert-1',
      recipient: { kind: 'phone', e164: phone },
      templateId: '1110',
      parameters: { place: '深南大道', plate: '粤B12345', time: '08:14' },
    };
    const template = { id: '1110', parameters: ['plate', 'time', 'place'] };
    expect(
      sendSmsRequest(message, template, { smsSdkAppId: '1400006666', signName: '腾讯云' }),
    ).toEqual({
      PhoneNumberSet: [phone],
      SmsSdkAppId: '1400006666',
      SignName: '腾讯云',
      TemplateId: '1110',
      TemplateParamSet: ['粤B12345', '08:14', '深南大道'],
      SessionContext: 'key-1',
    });
  });
});

describe('fetch errors', () => {
  it('should tell a timeout, a refused connection and a lost one apart', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(exchangeOfError(timeout, 300)).toEqual({ kind: 'timeout', timeoutMs: 300 });
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(exchangeOfError(refused, 300)).toEqual({
      kind: 'network',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
      sent: false,
    });
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(exchangeOfError(reset, 300)).toMatchObject({ code: 'UND_ERR_SOCKET', sent: true });
    expect(exchangeOfError(new TypeError('fetch failed'), 300)).toMatchObject({
      code: 'NetworkError',
      message: 'fetch failed',
      sent: true,
    });
  });
});
