import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isoTimestamp } from '../../../src/channels/aliyun-sms/aliyun-time.js';
import { FakeAliyunSmsServer } from '../../../src/channels/aliyun-sms/fake/fake-aliyun-sms-server.js';
import { rpcSignature } from '../../../src/channels/aliyun-sms/rpc-signature.js';
import { AlertMessageError } from '../../../src/errors.js';
import { closeAll, closing, message, open, T0, template, values } from './channel-rig.js';
import { KEY_ID, KEY_SECRET } from './signed-call.js';

afterEach(closeAll);

describe('AliyunSmsChannel requests', () => {
  it('should send a signed POST form to /, with no secret in it', async () => {
    const seen: { method?: string; url?: string; type?: string; body: string }[] = [];
    const capture = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"Message":"OK","RequestId":"R","BizId":"402617584525830937^0","Code":"OK"}');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    closing.push(() => new Promise((resolve) => capture.close(() => resolve())));
    const { port } = capture.address() as AddressInfo;
    const { channel } = await open({ baseUrl: `http://127.0.0.1:${port}/` });
    const m = message();
    expect(await channel.send(m)).toEqual({
      outcome: 'delivered',
      messageId: '402617584525830937^0',
      duplicate: false,
    });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/',
      type: 'application/x-www-form-urlencoded',
    });
    const params = Object.fromEntries(new URLSearchParams(request?.body));
    expect(params).toEqual({
      AccessKeyId: KEY_ID,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: m.idempotencyKey,
      PhoneNumbers: '13800138000',
      RegionId: 'cn-hangzhou',
      SignName: 'Fleetline',
      Signature: expect.any(String),
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: expect.stringMatching(/^[0-9a-f-]{36}$/),
      SignatureVersion: '1.0',
      TemplateCode: template.id,
      TemplateParam: JSON.stringify({
        plate: values.plate,
        time: values.time,
        place: values.place,
      }),
      Timestamp: isoTimestamp(T0),
      Version: '2017-05-25',
    });
    expect(params.Signature).toBe(rpcSignature(KEY_SECRET, 'POST', params));
    expect(request?.body).not.toContain(KEY_SECRET);
  });

  it('should write an international number as country code and number', async () => {
    const { fake, channel } = await open();
    const result = await channel.send(
      message({ recipient: { kind: 'phone', e164: '+85291234567' } }),
    );
    expect(result.outcome).toBe('delivered');
    expect(fake.sent().map((r) => r.phoneNumber)).toEqual(['85291234567']);
  });

  it('should refuse a +1 number before sending: Aliyun would take it for a mainland number', async () => {
    const { fake, channel } = await open();
    const attempt = channel.send(message({ recipient: { kind: 'phone', e164: '+14155550100' } }));
    await expect(attempt).rejects.toBeInstanceOf(AlertMessageError);
    await expect(attempt).rejects.toThrow(/\+1 number/);
    expect(fake.calls()).toEqual([]);
  });
});

describe('AliyunSmsChannel answers', () => {
  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 'THROTTLED', '触发分钟级流控Permits:1', 60_000],
    [
      'isv.DAY_LIMIT_CONTROL',
      'THROTTLED',
      '触发日发送限额',
      Date.parse('2026-12-05T16:00:00Z') - T0,
    ],
    ['isv.MOBILE_NUMBER_ILLEGAL', 'BAD_RECIPIENT', '非法手机号', undefined],
    ['isv.CUSTOMER_REFUSED', 'RECIPIENT_OPTED_OUT', '用户已退订推广短信', undefined],
    ['isv.TEMPLATE_MISSING_PARAMETERS', 'TEMPLATE_REJECTED', '模板缺少变量', undefined],
    ['isv.SMS_TEMPLATE_ILLEGAL', 'TEMPLATE_REJECTED', '该账号下找不到对应模板', undefined],
    ['isv.SMS_SIGNATURE_ILLEGAL', 'TEMPLATE_REJECTED', '该账号下找不到对应签名', undefined],
    ['isv.INVALID_PARAMETERS', 'TEMPLATE_REJECTED', '参数异常', undefined],
    ['isv.BLACK_KEY_CONTROL_LIMIT', 'TEMPLATE_REJECTED', '黑名单管控', undefined],
    [
      'InvalidAccessKeyId.NotFound',
      'CREDENTIALS_REJECTED',
      'Specified access key is not found.',
      undefined,
    ],
    [
      'SignatureDoesNotMatch',
      'CREDENTIALS_REJECTED',
      'Specified signature is not matched with our calculation.',
      undefined,
    ],
    ['isp.SYSTEM_ERROR', 'VENDOR_UNAVAILABLE', '系统错误', undefined],
    [
      'ServiceUnavailable',
      'VENDOR_UNAVAILABLE',
      'The request has failed due to a temporary failure of the server.',
      undefined,
    ],
  ])(
    'should answer %s with %s, keeping Aliyun’s code and message',
    async (vendorCode, code, vendorMessage, retryAfterMs) => {
      const { fake, channel } = await open();
      fake.failNext(vendorCode);
      expect(await channel.send(message())).toEqual({
        outcome: 'failed',
        code,
        retryable: ['THROTTLED', 'VENDOR_UNAVAILABLE'].includes(code),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        vendorCode,
        vendorMessage,
      });
      expect(fake.sent()).toEqual([]);
    },
  );

  it('should answer a bare 5xx from a proxy VENDOR_UNAVAILABLE', async () => {
    const { fake, channel } = await open();
    fake.failNextWithStatus(502);
    expect(await channel.send(message())).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      vendorCode: 'HTTP 502',
      vendorMessage: expect.stringContaining('502'),
    });
  });

  it('should be refused by the fake itself for a wrong secret, a skewed clock, a template it lacks and the number limit', async () => {
    const wrongSecret = await open({ accessKeySecret: 'not-the-secret' });
    expect(await wrongSecret.channel.send(message())).toMatchObject({
      code: 'CREDENTIALS_REJECTED',
      vendorCode: 'SignatureDoesNotMatch',
      vendorMessage: expect.stringContaining('server string to sign is:POST&%2F&'),
    });
    const skewed = await open({ now: () => T0 + 20 * 60_000 });
    expect(await skewed.channel.send(message())).toMatchObject({
      code: 'CREDENTIALS_REJECTED',
      vendorCode: 'InvalidTimeStamp.Expired',
    });
    const other = { id: 'SMS_1', parameters: ['plate'] };
    const lacking = await open({ templates: [template, other] });
    expect(
      await lacking.channel.send(message({ templateId: other.id, parameters: { plate: 'x' } })),
    ).toMatchObject({ code: 'TEMPLATE_REJECTED', vendorCode: 'isv.SMS_TEMPLATE_ILLEGAL' });
    const limited = await open({ limited: true });
    expect((await limited.channel.send(message())).outcome).toBe('delivered');
    expect(await limited.channel.send(message())).toMatchObject({
      code: 'THROTTLED',
      retryAfterMs: 60_000,
      vendorCode: 'isv.BUSINESS_LIMIT_CONTROL',
    });
  });

  it('should answer a refused connection VENDOR_UNAVAILABLE and keep the key to reconcile', async () => {
    const gone = await FakeAliyunSmsServer.start({ accessKeys: {}, signNames: [], templates: [] });
    const url = gone.url;
    await gone.close();
    const { channel, attempts } = await open({ baseUrl: url });
    const m = message();
    expect(await channel.send(m)).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      retryable: true,
      vendorCode: 'ECONNREFUSED',
    });
    expect(await attempts.get(m.idempotencyKey)).toEqual({
      phoneNumber: '13800138000',
      sendDates: ['20261205'],
    });
  });
});
