import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTencentSmsServer } from '../../../src/channels/tencent-sms/fake/fake-tencent-sms-server.js';
import {
  account,
  type CallOptions,
  manualClock,
  otherAccount,
  phone,
  sendSmsBody,
  signedCall,
  startFake,
} from './tencent-fixtures.js';

const fakes: FakeTencentSmsServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fake(o: Parameters<typeof startFake>[0] = {}): Promise<FakeTencentSmsServer> {
  const f = await startFake(o);
  fakes.push(f);
  return f;
}

/** A SendSms to the fake; its `Response`. */
async function send(
  f: FakeTencentSmsServer,
  overrides: Record<string, unknown> = {},
  o: CallOptions = {},
) {
  const { status, body } = await signedCall(f.url, 'SendSms', sendSmsBody(overrides), o);
  expect(status).toBe(200);
  return body.Response;
}

const refusedWith = (code: string) => ({
  Error: { Code: code, Message: expect.any(String) },
  RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
});

describe('fake Tencent Cloud SMS: SendSms', () => {
  it('should take a valid push, answer Tencent’s success shape and keep it', async () => {
    const f = await fake();
    const response = await send(f);
    expect(response).toEqual({
      SendStatusSet: [
        {
          SerialNo: expect.stringMatching(/^\d{4}:\d{28}$/),
          PhoneNumber: phone,
          Fee: 1,
          SessionContext: 'key-1',
          Code: 'Ok',
          Message: 'send success',
          IsoCode: 'CN',
        },
      ],
      RequestId: expect.any(String),
    });
    const serial = (response.SendStatusSet as { SerialNo: string }[])[0]!.SerialNo;
    expect(f.sends).toEqual([
      expect.objectContaining({
        serialNo: serial,
        phoneNumber: phone,
        sessionContext: 'key-1',
        templateId: '1110',
        templateParams: ['粤B12345', '08:14', '深南大道'],
      }),
    ]);
  });

  it.each<[string, CallOptions, string]>([
    ['another secret key', { secretKey: 'not-the-key' }, 'AuthFailure.SignatureFailure'],
    [
      'a body changed after signing',
      { sentBody: JSON.stringify(sendSmsBody({ SessionContext: 'x' })) },
      'AuthFailure.SignatureFailure',
    ],
    [
      'another host signed',
      { signedHost: 'sms.tencentcloudapi.com' },
      'AuthFailure.SignatureFailure',
    ],
    [
      'a timestamp 6 minutes old',
      { timestamp: Math.floor(Date.now() / 1000) - 360 },
      'AuthFailure.SignatureExpire',
    ],
    [
      'a timestamp 6 minutes ahead',
      { timestamp: Math.floor(Date.now() / 1000) + 360 },
      'AuthFailure.SignatureExpire',
    ],
    ['an unknown SecretId', { secretId: 'AKIDnobody' }, 'AuthFailure.SecretIdNotFound'],
    ['no region', { region: undefined }, 'MissingParameter'],
    ['a region it does not serve', { region: 'eu-frankfurt' }, 'UnsupportedRegion'],
    ['another API version', { version: '2019-07-11' }, 'NoSuchVersion'],
  ])('should refuse %s, taking nothing', async (_, o, code) => {
    const f = await fake();
    expect(await send(f, {}, o)).toEqual(refusedWith(code));
    expect(f.sends).toEqual([]);
  });

  it('should take a timestamp within 5 minutes of its clock', async () => {
    const f = await fake();
    const response = await send(f, {}, { timestamp: Math.floor(Date.now() / 1000) - 240 });
    expect(response.SendStatusSet).toHaveLength(1);
  });

  it('should refuse an Authorization header that is not TC3, and an unknown action', async () => {
    const f = await fake();
    const bare = await fetch(f.url, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer x',
        'Content-Type': 'application/json',
        'X-TC-Action': 'SendSms',
        'X-TC-Version': '2021-01-11',
        'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
        'X-TC-Region': 'ap-guangzhou',
      },
      body: '{}',
    });
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as { Response: unknown }).Response).toEqual(
      refusedWith('AuthFailure.InvalidAuthorization'),
    );
    const unknown = await signedCall(f.url, 'DescribeInstances', {});
    expect(unknown.body.Response).toEqual(refusedWith('InvalidAction'));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no PhoneNumberSet', { PhoneNumberSet: undefined }, 'MissingParameter'],
    ['an empty PhoneNumberSet', { PhoneNumberSet: [] }, 'MissingParameter.EmptyPhoneNumberSet'],
    [
      '201 numbers',
      { PhoneNumberSet: Array(201).fill(phone) },
      'LimitExceeded.PhoneNumberCountLimit',
    ],
    ['no SmsSdkAppId', { SmsSdkAppId: undefined }, 'MissingParameter'],
    ['no TemplateId', { TemplateId: undefined }, 'MissingParameter'],
    ['a TemplateParamSet that is not strings', { TemplateParamSet: [1, 2, 3] }, 'InvalidParameter'],
    ['a parameter SendSms does not have', { TemplateParams: [] }, 'UnknownParameter'],
    [
      'an unknown SmsSdkAppId',
      { SmsSdkAppId: '1400000000' },
      'InvalidParameterValue.SdkAppIdNotExist',
    ],
    [
      'another account’s app',
      { SmsSdkAppId: '1400009999' },
      'UnauthorizedOperation.SmsSdkAppIdVerifyFail',
    ],
    [
      'an unapproved template',
      { TemplateId: '9999' },
      'FailedOperation.TemplateIncorrectOrUnapproved',
    ],
    [
      'an unapproved signature',
      { SignName: 'Someone' },
      'FailedOperation.SignatureIncorrectOrUnapproved',
    ],
    [
      'no signature to a mainland number',
      { SignName: undefined },
      'FailedOperation.SignatureIncorrectOrUnapproved',
    ],
    [
      'mainland and foreign numbers together',
      { PhoneNumberSet: [phone, '+14155550100'] },
      'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
    ],
  ])('should refuse %s with Response.Error', async (_, overrides, code) => {
    const f = await fake();
    expect(await send(f, overrides)).toEqual(refusedWith(code));
    expect(f.sends).toEqual([]);
  });

  it('should refuse a number that is not one in its own SendStatusSet entry', async () => {
    const f = await fake();
    const response = await send(f, { PhoneNumberSet: ['+86123', phone] });
    expect(response.SendStatusSet).toEqual([
      expect.objectContaining({
        PhoneNumber: '+86123',
        SerialNo: '',
        Code: 'InvalidParameterValue.IncorrectPhoneNumber',
      }),
      expect.objectContaining({ PhoneNumber: phone, Code: 'Ok' }),
    ]);
    expect(f.sends.map((s) => s.phoneNumber)).toEqual([phone]);
  });

  it('should take the mainland forms Tencent allows without +86', async () => {
    const f = await fake();
    const response = await send(f, { PhoneNumberSet: ['13800138000', '008613900139000'] });
    expect((response.SendStatusSet as { Code: string }[]).map((s) => s.Code)).toEqual(['Ok', 'Ok']);
    expect(f.sends.map((s) => s.phoneNumber)).toEqual([phone, '+8613900139000']);
  });

  it('should refuse template variables that do not match the template’s count, per number', async () => {
    const f = await fake();
    const response = await send(f, { TemplateParamSet: ['粤B12345', '08:14'] });
    expect(response.SendStatusSet).toEqual([
      {
        SerialNo: '',
        PhoneNumber: phone,
        Fee: 0,
        SessionContext: '',
        Code: 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
        Message: 'request content does not match the template content',
        IsoCode: '',
      },
    ]);
    expect(f.sends).toEqual([]);
  });

  it('should keep Tencent’s 30-second limit per number when set', async () => {
    const clock = manualClock();
    const f = await fake({ thirtySecondLimit: 1, clock: clock.now });
    const at = () => ({ timestamp: Math.floor(clock.now() / 1000) });
    expect((await send(f, {}, at())).SendStatusSet).toEqual([
      expect.objectContaining({ Code: 'Ok' }),
    ]);
    clock.advance(29_000);
    expect((await send(f, {}, at())).SendStatusSet).toEqual([
      expect.objectContaining({ Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', SerialNo: '' }),
    ]);
    expect((await send(f, { PhoneNumberSet: ['+8613900139000'] }, at())).SendStatusSet).toEqual([
      expect.objectContaining({ Code: 'Ok' }),
    ]);
    clock.advance(1_000);
    expect((await send(f, {}, at())).SendStatusSet).toEqual([
      expect.objectContaining({ Code: 'Ok' }),
    ]);
    expect(f.sends).toHaveLength(3);
  });
});

describe('fake Tencent Cloud SMS: controls', () => {
  it('should fail the next push with a code where Tencent reports it, then take pushes again', async () => {
    const f = await fake();
    f.failNextSend('FailedOperation.PhoneNumberInBlacklist');
    expect((await send(f)).SendStatusSet).toEqual([
      expect.objectContaining({ Code: 'FailedOperation.PhoneNumberInBlacklist', SerialNo: '' }),
    ]);
    f.failNextSend('InternalError.Timeout');
    expect(await send(f)).toEqual(refusedWith('InternalError.Timeout'));
    expect(f.sends).toEqual([]);
    expect((await send(f)).SendStatusSet).toEqual([expect.objectContaining({ Code: 'Ok' })]);
  });

  it('should answer the next push with an HTTP status and no API answer', async () => {
    const f = await fake();
    f.failNextSendWithHttpStatus(502);
    const first = await signedCall(f.url, 'SendSms', sendSmsBody());
    expect(first.status).toBe(502);
    expect(first.text).not.toMatch(/Response/);
    expect(f.sends).toEqual([]);
    expect((await send(f)).SendStatusSet).toEqual([expect.objectContaining({ Code: 'Ok' })]);
  });

  it('should take a push and lose its answer: held open, or the connection dropped', async () => {
    const f = await fake();
    f.loseNextAnswer('hang');
    const held = signedCall(f.url, 'SendSms', sendSmsBody(), {
      signal: AbortSignal.timeout(200),
    });
    await expect(held).rejects.toMatchObject({ name: 'TimeoutError' });
    f.loseNextAnswer('reset');
    await expect(
      signedCall(f.url, 'SendSms', sendSmsBody({ SessionContext: 'key-2' })),
    ).rejects.toThrow();
    expect(f.sends.map((s) => s.sessionContext)).toEqual(['key-1', 'key-2']);
  });

  it('should swallow the next push: neither taken nor answered', async () => {
    const f = await fake();
    f.swallowNextSend();
    const call = signedCall(f.url, 'SendSms', sendSmsBody(), { signal: AbortSignal.timeout(200) });
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(f.sends).toEqual([]);
  });

  it('should delay answers by the time set', async () => {
    const f = await fake();
    f.delayAnswers(150);
    const started = Date.now();
    await send(f);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    f.delayAnswers(0);
  });
});

describe('fake Tencent Cloud SMS: PullSmsSendStatusByPhoneNumber', () => {
  const pull = (overrides: Record<string, unknown> = {}) => ({
    BeginTime: Math.floor(Date.now() / 1000) - 600,
    Offset: 0,
    Limit: 100,
    PhoneNumber: phone,
    SmsSdkAppId: '1400006666',
    ...overrides,
  });

  it('should report the number’s pushes with their SerialNo and SessionContext', async () => {
    const f = await fake();
    await send(f, { SessionContext: 'key-1' });
    await send(f, { SessionContext: 'key-2', PhoneNumberSet: ['+8613900139000'] });
    const { body } = await signedCall(f.url, 'PullSmsSendStatusByPhoneNumber', pull());
    expect(body.Response).toEqual({
      PullSmsSendStatusSet: [
        {
          UserReceiveTime: expect.any(Number),
          CountryCode: '86',
          SubscriberNumber: '13800138000',
          PhoneNumber: phone,
          SerialNo: f.sends[0]!.serialNo,
          ReportStatus: 'SUCCESS',
          Description: 'DELIVRD',
          SessionContext: 'key-1',
        },
      ],
      RequestId: expect.any(String),
    });
  });

  it('should not report a push before its carrier receipt is in', async () => {
    const clock = manualClock();
    const f = await fake({ receiptDelayMs: 5_000, clock: clock.now });
    const at = () => ({ timestamp: Math.floor(clock.now() / 1000) });
    await send(f, {}, at());
    const body = () => pull({ BeginTime: Math.floor(clock.now() / 1000) - 60 });
    const before = await signedCall(f.url, 'PullSmsSendStatusByPhoneNumber', body(), at());
    expect(before.body.Response.PullSmsSendStatusSet).toEqual([]);
    clock.advance(5_000);
    const after = await signedCall(f.url, 'PullSmsSendStatusByPhoneNumber', body(), at());
    expect(after.body.Response.PullSmsSendStatusSet).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no BeginTime', { BeginTime: undefined }, 'MissingParameter'],
    ['a BeginTime that is not an integer', { BeginTime: '1620734100' }, 'InvalidParameter'],
    [
      'a BeginTime over 7 days back',
      { BeginTime: Math.floor(Date.now() / 1000) - 8 * 86_400 },
      'InvalidParameterValue.BeginTimeVerifyFail',
    ],
    ['an Offset other than 0', { Offset: 100 }, 'InvalidParameterValue.OffsetVerifyFail'],
    ['a Limit over 100', { Limit: 101 }, 'InvalidParameterValue.LimitVerifyFail'],
    ['an EndTime before BeginTime', { EndTime: 1 }, 'InvalidParameterValue.InvalidStartTime'],
    ['no PhoneNumber', { PhoneNumber: undefined }, 'MissingParameter'],
    [
      'another account’s app',
      { SmsSdkAppId: '1400009999' },
      'UnauthorizedOperation.SmsSdkAppIdVerifyFail',
    ],
  ])('should refuse %s', async (_, overrides, code) => {
    const f = await fake();
    const { body } = await signedCall(f.url, 'PullSmsSendStatusByPhoneNumber', pull(overrides));
    expect(body.Response).toEqual(refusedWith(code));
  });

  it('should check the signature of a status pull as of a push', async () => {
    const f = await fake();
    const { body } = await signedCall(f.url, 'PullSmsSendStatusByPhoneNumber', pull(), {
      secretId: otherAccount.secretId,
      secretKey: account.secretKey,
    });
    expect(body.Response).toEqual(refusedWith('AuthFailure.SignatureFailure'));
    expect(f.actions).toEqual([]);
  });
});
