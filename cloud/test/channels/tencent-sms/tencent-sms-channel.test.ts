import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../../src/channels/alert-message.js';
import type { FakeTencentSmsServer } from '../../../src/channels/tencent-sms/fake/fake-tencent-sms-server.js';
import {
  type InDoubtSend,
  MemoryInDoubtSendStore,
} from '../../../src/channels/tencent-sms/in-doubt-sends.js';
import { tc3Sign } from '../../../src/channels/tencent-sms/tc3-signing.js';
import {
  TencentSmsAlertChannel,
  type TencentSmsChannelOptions,
} from '../../../src/channels/tencent-sms/tencent-sms-channel.js';
import { account, collision, phone, signName, smsSdkAppId, startFake } from './tencent-fixtures.js';

const closers: (() => Promise<void>)[] = [];
/** How long the channel waits for an answer in tests that lose one. */
const short = { timeoutMs: 400 };
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function fake(o: Parameters<typeof startFake>[0] = {}): Promise<FakeTencentSmsServer> {
  const f = await startFake(o);
  closers.push(() => f.close());
  return f;
}

function channel(baseUrl: string, o: Partial<TencentSmsChannelOptions> = {}) {
  const c = new TencentSmsAlertChannel({
    ...account,
    smsSdkAppId,
    signName,
    region: 'ap-guangzhou',
    templates: [collision],
    baseUrl,
    // Long enough for a cold start on a busy machine; tests of lost answers set a short one.
    timeoutMs: 5_000,
    ...o,
  });
  closers.push(() => c.close());
  return c;
}

let keys = 0;
function message(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    idempotencyKey: `key-${++keys}`,
    alertId: 'alert-1',
    recipient: { kind: 'phone', e164: phone },
    templateId: collision.id,
    // Not in the template's order: the request must put them in it.
    parameters: { place: '深南大道 1001 号', time: '2026-12-05 08:14', plate: '粤B12345' },
    ...overrides,
  };
}

describe('TencentSmsAlertChannel requests', () => {
  it('should send one signed SendSms of the documented shape', async () => {
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            Response: {
              SendStatusSet: [{ SerialNo: '5000:1', PhoneNumber: phone, Code: 'Ok', Message: '' }],
              RequestId: 'r',
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const m = message();

    expect(await channel(`http://${host}`).send(m)).toEqual({
      outcome: 'delivered',
      messageId: '5000:1',
      duplicate: false,
    });
    const [{ headers, body }] = seen as [(typeof seen)[number]];
    expect(JSON.parse(body)).toEqual({
      PhoneNumberSet: [phone],
      SmsSdkAppId: smsSdkAppId,
      SignName: signName,
      TemplateId: collision.id,
      TemplateParamSet: ['粤B12345', '2026-12-05 08:14', '深南大道 1001 号'],
      SessionContext: m.idempotencyKey,
    });
    expect(headers).toMatchObject({
      host,
      'content-type': 'application/json; charset=utf-8',
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
      'x-tc-timestamp': expect.stringMatching(/^\d{10}$/),
    });
    const timestamp = Number(headers['x-tc-timestamp']);
    const signed = tc3Sign(
      {
        service: 'sms',
        timestamp,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          host,
          'x-tc-action': 'SendSms',
        },
        body,
      },
      account.secretKey,
    );
    expect(headers.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=${account.secretId}/${signed.credentialScope}, SignedHeaders=content-type;host;x-tc-action, Signature=${signed.signature}`,
    );
  });

  it('should refuse options without a secret, naming the option and not its value', () => {
    expect(() => channel('http://127.0.0.1:9', { secretKey: '' })).toThrow(
      /option secretKey must not be empty/,
    );
  });
});

describe('TencentSmsAlertChannel answers', () => {
  it.each<[string, string, number | undefined]>([
    ['LimitExceeded.PhoneNumberThirtySecondLimit', 'THROTTLED', 30_000],
    ['LimitExceeded.PhoneNumberOneHourLimit', 'THROTTLED', 3_600_000],
    ['FailedOperation.PhoneNumberInBlacklist', 'RECIPIENT_OPTED_OUT', undefined],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'BAD_RECIPIENT', undefined],
    ['FailedOperation.TemplateIncorrectOrUnapproved', 'TEMPLATE_REJECTED', undefined],
    ['FailedOperation.SignatureIncorrectOrUnapproved', 'TEMPLATE_REJECTED', undefined],
    ['InvalidParameterValue.TemplateParameterFormatError', 'TEMPLATE_REJECTED', undefined],
    ['AuthFailure.SecretIdNotFound', 'CREDENTIALS_REJECTED', undefined],
    ['InternalError.Timeout', 'VENDOR_UNAVAILABLE', undefined],
    ['InternalError.SendAndRecvFail', 'VENDOR_UNAVAILABLE', undefined],
  ])('should answer the fake’s %s as %s', async (vendorCode, code, retryAfterMs) => {
    const f = await fake();
    f.failNextSend(vendorCode);
    const result = await channel(f.url).send(message());
    expect(result).toMatchObject({ outcome: 'failed', code, vendorCode });
    expect((result as { retryAfterMs?: number }).retryAfterMs).toBe(retryAfterMs);
    expect(f.sends).toEqual([]);
  });

  it('should answer a day’s limit with the time to midnight in China', async () => {
    const f = await fake();
    f.failNextSend('LimitExceeded.PhoneNumberDailyLimit');
    const now = Date.now();
    const result = await channel(f.url, { clock: () => now }).send(message());
    const toMidnight = 86_400_000 - ((now + 8 * 3_600_000) % 86_400_000);
    expect(result).toMatchObject({ code: 'THROTTLED', retryAfterMs: toMidnight });
  });

  it('should be refused for a wrong secret key, an unknown SecretId or a clock 6 minutes off', async () => {
    const f = await fake();
    const results = [
      await channel(f.url, { secretKey: 'wrong' }).send(message()),
      await channel(f.url, { secretId: 'AKIDnobody' }).send(message()),
      await channel(f.url, { clock: () => Date.now() - 360_000 }).send(message()),
    ];
    expect(results).toEqual([
      expect.objectContaining({
        code: 'CREDENTIALS_REJECTED',
        vendorCode: 'AuthFailure.SignatureFailure',
      }),
      expect.objectContaining({
        code: 'CREDENTIALS_REJECTED',
        vendorCode: 'AuthFailure.SecretIdNotFound',
      }),
      expect.objectContaining({
        code: 'CREDENTIALS_REJECTED',
        vendorCode: 'AuthFailure.SignatureExpire',
        vendorMessage: expect.stringMatching(/clock/),
      }),
    ]);
    expect(f.sends).toEqual([]);
  });

  it('should be refused when its template has more variables than the approved one', async () => {
    const f = await fake({ templates: [{ id: collision.id, parameters: ['plate', 'time'] }] });
    const result = await channel(f.url).send(message());
    expect(result).toMatchObject({
      code: 'TEMPLATE_REJECTED',
      vendorCode: 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
    });
  });

  it('should answer an outage in front of the API as VENDOR_UNAVAILABLE', async () => {
    const f = await fake();
    f.failNextSendWithHttpStatus(503);
    expect(await channel(f.url).send(message())).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      retryable: true,
      vendorCode: 'HTTP 503',
    });
  });

  it('should answer a refused connection as VENDOR_UNAVAILABLE and not search on the retry', async () => {
    const f = await fake();
    const url = f.url;
    await f.close();
    const store = new MemoryInDoubtSendStore();
    const m = message();
    expect(await channel(url, { inDoubtSends: store }).send(m)).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      vendorCode: 'ECONNREFUSED',
    });
    expect(await store.get(m.idempotencyKey)).toBeUndefined();
  });

  it('should keep secrets out of its log lines', async () => {
    const f = await fake();
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const c = channel(f.url, { logger });
    f.failNextSend('InternalError.Timeout');
    await c.send(message());
    await channel(f.url, { logger, secretKey: 'another-secret-do-not-log' }).send(message());
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).not.toContain(account.secretKey);
      expect(line).not.toContain('another-secret-do-not-log');
      expect(line).not.toContain(phone);
    }
  });
});

describe('TencentSmsAlertChannel after a lost answer', () => {
  it('should find the push in the status reports instead of pushing again', async () => {
    const f = await fake();
    const c = channel(f.url, short);
    const m = message();
    f.loseNextAnswer();
    expect(await c.send(m)).toMatchObject({ outcome: 'failed', code: 'TIMED_OUT' });
    const first = f.sends[0]!.serialNo;
    expect(await c.send(m)).toEqual({ outcome: 'delivered', messageId: first, duplicate: true });
    expect(await c.send(m)).toEqual({ outcome: 'delivered', messageId: first, duplicate: true });
    expect(f.sends).toHaveLength(1);
    expect(f.actions).toEqual(['SendSms', 'PullSmsSendStatusByPhoneNumber']);
  });

  it('should find it after the connection dropped mid-request too', async () => {
    const f = await fake();
    const c = channel(f.url, short);
    const m = message();
    f.loseNextAnswer('reset');
    expect(await c.send(m)).toMatchObject({ outcome: 'failed', code: 'VENDOR_UNAVAILABLE' });
    expect(await c.send(m)).toEqual({
      outcome: 'delivered',
      messageId: f.sends[0]!.serialNo,
      duplicate: true,
    });
    expect(f.sends).toHaveLength(1);
  });

  it('should push when the reports do not have it, once', async () => {
    const f = await fake();
    const c = channel(f.url, short);
    const m = message();
    f.swallowNextSend();
    expect(await c.send(m)).toMatchObject({ code: 'TIMED_OUT' });
    expect(f.sends).toEqual([]);
    const result = await c.send(m);
    expect(result).toEqual({
      outcome: 'delivered',
      messageId: f.sends[0]!.serialNo,
      duplicate: false,
    });
    expect(f.actions).toEqual(['SendSms', 'PullSmsSendStatusByPhoneNumber', 'SendSms']);
    expect(await c.send(m)).toMatchObject({ duplicate: true });
    expect(f.sends.map((s) => s.sessionContext)).toEqual([m.idempotencyKey]);
  });

  it('should not push while the search itself goes unanswered, and search again later', async () => {
    const f = await fake();
    const c = channel(f.url, short);
    const m = message();
    f.loseNextAnswer();
    await c.send(m);
    f.delayAnswers(1_000);
    expect(await c.send(m)).toMatchObject({ outcome: 'failed', code: 'TIMED_OUT' });
    f.delayAnswers(0);
    expect(await c.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(f.sends).toHaveLength(1);
    expect(f.actions.filter((a) => a === 'SendSms')).toHaveLength(1);
  });

  it('should keep the key in doubt in the store it is given, from the first unanswered push', async () => {
    const f = await fake();
    const puts: [string, InDoubtSend][] = [];
    const store = new MemoryInDoubtSendStore();
    const spy = {
      get: (key: string) => store.get(key),
      put: async (key: string, send: InDoubtSend) => {
        puts.push([key, send]);
        await store.put(key, send);
      },
      delete: (key: string) => store.delete(key),
    };
    let now = Date.now();
    const c = channel(f.url, { ...short, inDoubtSends: spy, clock: () => now });
    const m = message();
    f.swallowNextSend();
    await c.send(m);
    const firstTry = now;
    now += 1_000;
    f.swallowNextSend();
    expect(await c.send(m)).toMatchObject({ code: 'TIMED_OUT' });
    expect(puts).toEqual([[m.idempotencyKey, { phoneNumber: phone, since: firstTry }]]);
    expect(await store.get(m.idempotencyKey)).toEqual({ phoneNumber: phone, since: firstTry });
    expect(await c.send(m)).toMatchObject({ outcome: 'delivered' });
    expect(await store.get(m.idempotencyKey)).toBeUndefined();
  });

  it('should search again after a refusal, as the first push may still surface', async () => {
    const f = await fake({ receiptDelayMs: 60_000 });
    const store = new MemoryInDoubtSendStore();
    const c = channel(f.url, { ...short, inDoubtSends: store });
    const m = message();
    f.loseNextAnswer();
    await c.send(m);
    f.failNextSend('LimitExceeded.PhoneNumberThirtySecondLimit');
    expect(await c.send(m)).toMatchObject({ code: 'THROTTLED' });
    expect(await store.get(m.idempotencyKey)).toMatchObject({ phoneNumber: phone });
  });
});
