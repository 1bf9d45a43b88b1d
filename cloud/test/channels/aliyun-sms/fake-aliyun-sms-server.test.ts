import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAliyunSmsServer } from '../../../src/channels/aliyun-sms/fake/fake-aliyun-sms-server.js';
import { encodedParams, percentEncode } from '../../../src/channels/aliyun-sms/rpc-signature.js';
import { KEY_ID, KEY_SECRET, signedCall } from './signed-call.js';

/** 2026-12-05 08:14 in Shanghai. */
const T0 = Date.parse('2026-12-05T00:14:00Z');
let clock = T0;
let fake: FakeAliyunSmsServer;

const collision = {
  code: 'SMS_71390007',
  variables: ['plate', 'time', 'place'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun templates name variables ${so}
  content: '车辆${plate}于${time}在${place}发生碰撞',
};
const values = { plate: '粤B12345', time: '08:14', place: '深南大道 1001 号' };

beforeEach(async () => {
  clock = T0;
  fake = await FakeAliyunSmsServer.start({
    accessKeys: { [KEY_ID]: KEY_SECRET },
    signNames: ['Fleetline'],
    templates: [collision],
    now: () => clock,
  });
});
afterEach(async () => {
  await fake.close();
});

function send(overrides: Record<string, string> = {}, o: Parameters<typeof signedCall>[2] = {}) {
  return signedCall(
    fake.url,
    {
      Action: 'SendSms',
      PhoneNumbers: '13800138000',
      SignName: 'Fleetline',
      TemplateCode: collision.code,
      TemplateParam: JSON.stringify(values),
      OutId: 'key-1',
      ...overrides,
    },
    { nowMs: clock, ...o },
  );
}

function query(overrides: Record<string, string> = {}) {
  return signedCall(
    fake.url,
    {
      Action: 'QuerySendDetails',
      PhoneNumber: '13800138000',
      SendDate: '20261205',
      PageSize: '10',
      CurrentPage: '1',
      ...overrides,
    },
    { nowMs: clock },
  );
}

/** The gateway's refusal shape: a 4xx with RequestId, HostId, Code and Message. */
function expectGatewayRefusal(
  answer: { status: number; body: Record<string, unknown> },
  status: number,
  code: string,
  message: string | RegExp,
) {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({
    RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    HostId: 'dysmsapi.aliyuncs.com',
    Code: code,
    Message: typeof message === 'string' ? message : expect.stringMatching(message),
  });
}

/** An API refusal: HTTP 200 with RequestId, Code and Message, and nothing recorded. */
function expectApiRefusal(answer: { status: number; body: Record<string, unknown> }, code: string) {
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    RequestId: expect.any(String),
    Code: code,
    Message: expect.any(String),
  });
}

describe('FakeAliyunSmsServer', () => {
  it('should take the documented signed GET request verbatim and answer it as XML, and refuse its replay', async () => {
    const documented = await FakeAliyunSmsServer.start({
      accessKeys: { testId: 'testSecret' },
      signNames: ['阿里云短信测试专用'],
      templates: [{ code: 'SMS_71390007', variables: ['customer'] }],
      now: () => Date.parse('2017-07-12T02:42:19Z'),
    });
    try {
      const query = `Signature=${percentEncode('zJDF+Lrzhj/ThnlvIToysFRq6t4=')}&${encodedParams({
        AccessKeyId: 'testId',
        Action: 'SendSms',
        Format: 'XML',
        OutId: '123',
        PhoneNumbers: '15300000001',
        RegionId: 'cn-hangzhou',
        SignName: '阿里云短信测试专用',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
        SignatureVersion: '1.0',
        TemplateCode: 'SMS_71390007',
        TemplateParam: '{"customer":"test"}',
        Timestamp: '2017-07-12T02:42:19Z',
        Version: '2017-05-25',
      })}`;
      const first = await fetch(`${documented.url}?${query}`);
      expect(first.status).toBe(200);
      expect(await first.text()).toMatch(
        /^<\?xml version='1\.0' encoding='UTF-8'\?><SendSmsResponse><RequestId>[0-9A-F-]{36}<\/RequestId><Code>OK<\/Code><Message>OK<\/Message><BizId>\d{18}\^0<\/BizId><\/SendSmsResponse>$/,
      );
      expect(documented.sent()).toMatchObject([
        { outId: '123', phoneNumber: '15300000001', templateParam: { customer: 'test' } },
      ]);
      const replay = await fetch(`${documented.url}?${query}`);
      expect(replay.status).toBe(400);
      expect(await replay.text()).toMatch(/<Error>.*<Code>SignatureNonceUsed<\/Code>/);
    } finally {
      await documented.close();
    }
  });

  it('should accept a signed POST form, record it and answer a BizId', async () => {
    const answer = await send();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      Code: 'OK',
      Message: 'OK',
      BizId: expect.stringMatching(/^\d{18}\^0$/),
    });
    expect(fake.sent()).toEqual([
      {
        bizId: answer.body.BizId,
        outId: 'key-1',
        phoneNumber: '13800138000',
        signName: 'Fleetline',
        templateCode: collision.code,
        templateParam: values,
        content: '【Fleetline】车辆粤B12345于08:14在深南大道 1001 号发生碰撞',
        sentAt: T0,
        sendStatus: 1,
        errCode: '',
      },
    ]);
  });

  it('should refuse a wrong signature with SignatureDoesNotMatch and the string it signed', async () => {
    const tampered = await send({}, { tamper: (p) => ({ ...p, PhoneNumbers: '13900139000' }) });
    expectGatewayRefusal(
      tampered,
      400,
      'SignatureDoesNotMatch',
      /^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3Dtest-key-id%26/,
    );
    expectGatewayRefusal(
      await send({}, { secret: 'not-the-secret' }),
      400,
      'SignatureDoesNotMatch',
      /^Specified signature is not matched/,
    );
    // Signed for GET, sent as POST: the method is part of what is signed.
    expectGatewayRefusal(
      await send({}, { method: 'GET', sendAs: 'POST' }),
      400,
      'SignatureDoesNotMatch',
      /server string to sign is:POST&/,
    );
    expect((await send({}, { method: 'GET' })).body.Code).toBe('OK');
    expect(fake.sent()).toHaveLength(1);
  });

  it('should refuse an unknown AccessKeyId with InvalidAccessKeyId.NotFound (404)', async () => {
    expectGatewayRefusal(
      await send({}, { common: { AccessKeyId: 'someone-else' } }),
      404,
      'InvalidAccessKeyId.NotFound',
      'Specified access key is not found.',
    );
    expect(fake.sent()).toEqual([]);
  });

  it('should refuse missing parameters with Missing{Name}', async () => {
    expectGatewayRefusal(
      await send({ PhoneNumbers: '' }),
      400,
      'MissingPhoneNumbers',
      'PhoneNumbers is mandatory for this action.',
    );
    expectGatewayRefusal(
      await send({ SignName: '' }),
      400,
      'MissingSignName',
      'SignName is mandatory for this action.',
    );
    expectGatewayRefusal(
      await send({}, { common: { Timestamp: undefined } }),
      400,
      'MissingTimestamp',
      'Timestamp is mandatory for this action.',
    );
    expectGatewayRefusal(
      await query({ CurrentPage: '' }),
      400,
      'MissingCurrentPage',
      'CurrentPage is mandatory for this action.',
    );
    expect(fake.sent()).toEqual([]);
  });

  it('should refuse a Timestamp more than 15 minutes off, and a malformed one', async () => {
    const fourteenMinutes = 14 * 60_000;
    expect((await send({}, { nowMs: T0 - fourteenMinutes })).body.Code).toBe('OK');
    expectGatewayRefusal(
      await send({ OutId: 'key-2' }, { nowMs: T0 - 16 * 60_000 }),
      400,
      'InvalidTimeStamp.Expired',
      'Specified time stamp or date value is expired.',
    );
    expectGatewayRefusal(
      await send({ OutId: 'key-3' }, { nowMs: T0 + 16 * 60_000 }),
      400,
      'InvalidTimeStamp.Expired',
      'Specified time stamp or date value is expired.',
    );
    expectGatewayRefusal(
      await send({}, { common: { Timestamp: '2026-12-05 00:14:00' } }),
      400,
      'InvalidTimeStamp.Format',
      /not well formatted/,
    );
    expect(fake.sent().map((r) => r.outId)).toEqual(['key-1']);
  });

  it('should refuse a SignatureNonce used before, but not burn one on a refused signature', async () => {
    await send({}, { nonce: 'nonce-1', secret: 'wrong' });
    expect((await send({}, { nonce: 'nonce-1' })).body.Code).toBe('OK');
    expectGatewayRefusal(
      await send({ OutId: 'key-2' }, { nonce: 'nonce-1' }),
      400,
      'SignatureNonceUsed',
      'Specified signature nonce was used already.',
    );
    expect(fake.sent()).toHaveLength(1);
  });

  it('should refuse another API version, signature method or action', async () => {
    expectGatewayRefusal(
      await send({}, { common: { Version: '2018-05-01' } }),
      400,
      'InvalidVersion',
      'Specified parameter Version is not valid.',
    );
    expectGatewayRefusal(
      await send({}, { common: { SignatureMethod: 'HMAC-SHA256' } }),
      400,
      'InvalidSignatureMethod',
      /signature method/,
    );
    expectGatewayRefusal(
      await send({ Action: 'SendBatchSms' }),
      404,
      'InvalidApi.NotFound',
      /api is not found/,
    );
    const put = await fetch(fake.url, { method: 'PUT', headers: { accept: 'application/json' } });
    expect(put.status).toBe(400);
    expect(await put.text()).toContain('<Code>UnsupportedHTTPMethod</Code>');
  });

  it('should refuse numbers Aliyun does not take with isv.MOBILE_NUMBER_ILLEGAL, and keep mainland ones bare', async () => {
    const refused = await send({ PhoneNumbers: '12345' });
    expectApiRefusal(refused, 'isv.MOBILE_NUMBER_ILLEGAL');
    expect(refused.body.Message).toBe('12345 invalid mobile number');
    expectApiRefusal(await send({ PhoneNumbers: '+44 7700 900123' }), 'isv.MOBILE_NUMBER_ILLEGAL');
    expect((await send({ PhoneNumbers: '+8613800138000', OutId: 'a' })).body.Code).toBe('OK');
    expect((await send({ PhoneNumbers: '008613800138001', OutId: 'b' })).body.Code).toBe('OK');
    expect((await send({ PhoneNumbers: '85291234567', OutId: 'c' })).body.Code).toBe('OK');
    expect(fake.sent().map((r) => r.phoneNumber)).toEqual([
      '13800138000',
      '13800138001',
      '85291234567',
    ]);
  });

  it('should refuse a signature name or template the account does not have', async () => {
    expectApiRefusal(await send({ SignName: 'Someone' }), 'isv.SMS_SIGNATURE_ILLEGAL');
    expectApiRefusal(await send({ TemplateCode: 'SMS_1' }), 'isv.SMS_TEMPLATE_ILLEGAL');
    expect(fake.sent()).toEqual([]);
  });

  it('should refuse TemplateParam that is not a JSON object of strings with exactly the variables', async () => {
    const { place: _, ...withoutPlace } = values;
    expectApiRefusal(
      await send({ TemplateParam: JSON.stringify(withoutPlace) }),
      'isv.TEMPLATE_MISSING_PARAMETERS',
    );
    expectApiRefusal(await send({ TemplateParam: '' }), 'isv.TEMPLATE_MISSING_PARAMETERS');
    expectApiRefusal(
      await send({ TemplateParam: JSON.stringify({ ...values, time: 814 }) }),
      'isv.INVALID_JSON_PARAM',
    );
    expectApiRefusal(await send({ TemplateParam: '{plate:' }), 'isv.INVALID_JSON_PARAM');
    expectApiRefusal(
      await send({ TemplateParam: JSON.stringify({ ...values, speed: '87' }) }),
      'isv.INVALID_PARAMETERS',
    );
    expect(fake.sent()).toEqual([]);
  });

  it('should hold a number to its flow control and name the window in the message', async () => {
    await fake.close();
    fake = await FakeAliyunSmsServer.start({
      accessKeys: { [KEY_ID]: KEY_SECRET },
      signNames: ['Fleetline'],
      templates: [collision],
      perNumberLimits: { perMinute: 1, perHour: 2 },
      now: () => clock,
    });
    expect((await send()).body.Code).toBe('OK');
    const limited = await send({ OutId: 'key-2' });
    expectApiRefusal(limited, 'isv.BUSINESS_LIMIT_CONTROL');
    expect(limited.body.Message).toBe('触发分钟级流控Permits:1');
    expect((await send({ OutId: 'key-3', PhoneNumbers: '13900139000' })).body.Code).toBe('OK');
    clock += 61_000;
    expect((await send({ OutId: 'key-4' })).body.Code).toBe('OK');
    clock += 61_000;
    expect((await send({ OutId: 'key-5' })).body.Message).toBe('触发小时级流控Permits:2');
    expect(fake.sent().map((r) => r.outId)).toEqual(['key-1', 'key-3', 'key-4']);
  });

  it('should answer QuerySendDetails from its records, page by page, with their receipts', async () => {
    await send({ OutId: 'key-1' });
    clock += 1_000;
    await send({ OutId: 'key-2' });
    await send({ OutId: 'key-3', PhoneNumbers: '13900139000' });
    expect(fake.settle('key-1', 'delivered')).toBe(1);
    const first = await query({ PageSize: '1' });
    expect(first.body).toEqual({
      RequestId: expect.any(String),
      Code: 'OK',
      Message: 'OK',
      TotalCount: 2,
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: [
          {
            PhoneNum: '13800138000',
            SendStatus: 1,
            ErrCode: '',
            TemplateCode: collision.code,
            Content: expect.stringMatching(/^【Fleetline】车辆/),
            SendDate: '2026-12-05 08:14:01',
            OutId: 'key-2',
          },
        ],
      },
    });
    const second = await query({ PageSize: '1', CurrentPage: '2' });
    expect(second.body.SmsSendDetailDTOs).toEqual({
      SmsSendDetailDTO: [
        expect.objectContaining({
          OutId: 'key-1',
          SendStatus: 3,
          ErrCode: 'DELIVERED',
          ReceiveDate: '2026-12-05 08:14:01',
        }),
      ],
    });
    const otherDay = await query({ SendDate: '20261204' });
    expect(otherDay.body).toMatchObject({ Code: 'OK', TotalCount: 0 });
  });

  it('should refuse a QuerySendDetails date or page out of range with isv.INVALID_PARAMETERS', async () => {
    expectApiRefusal(await query({ SendDate: '2026-12-05' }), 'isv.INVALID_PARAMETERS');
    expectApiRefusal(await query({ SendDate: '20261032' }), 'isv.INVALID_PARAMETERS');
    expectApiRefusal(await query({ SendDate: '20261104' }), 'isv.INVALID_PARAMETERS');
    expectApiRefusal(await query({ PageSize: '51' }), 'isv.INVALID_PARAMETERS');
    expectApiRefusal(await query({ CurrentPage: '0' }), 'isv.INVALID_PARAMETERS');
    expectApiRefusal(await query({ PhoneNumber: '138-0013' }), 'isv.MOBILE_NUMBER_ILLEGAL');
  });

  it('should fail the next push with a named code once, after checking the signature', async () => {
    fake.failNext('isv.BUSINESS_LIMIT_CONTROL');
    expectGatewayRefusal(await send({}, { secret: 'wrong' }), 400, 'SignatureDoesNotMatch', /./);
    const failed = await send();
    expectApiRefusal(failed, 'isv.BUSINESS_LIMIT_CONTROL');
    expect(failed.body.Message).toBe('触发分钟级流控Permits:1');
    fake.failNext('SignatureDoesNotMatch');
    expectGatewayRefusal(await send(), 400, 'SignatureDoesNotMatch', /./);
    fake.failNextWithStatus(502);
    const bare = await send();
    expect(bare.status).toBe(502);
    expect(bare.text).toContain('502');
    expect(fake.sent()).toEqual([]);
    expect((await send()).body.Code).toBe('OK');
  });

  it('should record a push whose answer it loses, never answer it, and still close at once', async () => {
    fake.loseNextAnswer();
    const lost = fetch(fake.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'unsigned',
    });
    // An unsigned call is refused and answered: only a push that passes is lost.
    expect((await lost).status).toBe(400);
    const attempt = send().then(
      (a) => a.status,
      (err: unknown) => (err as Error).name,
    );
    const deadline = Date.now() + 5_000;
    while (fake.sent().length === 0 && Date.now() < deadline)
      await new Promise((r) => setImmediate(r));
    expect(fake.sent().map((r) => r.outId)).toEqual(['key-1']);
    await fake.close();
    expect(await attempt).toBe('TypeError'); // the held connection was dropped, never answered
  });

  it('should hold answers for the delay it is given', async () => {
    fake.delayAnswers(200);
    const started = performance.now();
    expect((await send()).body.Code).toBe('OK');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('should list every call it received, refused ones too', async () => {
    await send({}, { secret: 'wrong' });
    await query();
    expect(fake.calls().map((c) => c.Action)).toEqual(['SendSms', 'QuerySendDetails']);
  });
});
