import { describe, expect, it } from 'vitest';
import { deliveryFailed } from '../../../src/channels/alert-channel.js';
import {
  failureOfAnswer,
  messageIdOf,
  parseWeChatAnswer,
  readExchange,
  untilNextBeijingDay,
  untilNextMinute,
} from '../../../src/channels/wechat/wechat-answer.js';

const at = (iso: string) => Date.parse(iso);

describe('parseWeChatAnswer', () => {
  it('should keep a 64-bit msgid as its exact digits, which JSON.parse would round', () => {
    const text = '{"errcode":0,"errmsg":"ok","msgid":9223372036854775807}';
    expect(String(JSON.parse(text).msgid)).not.toBe('9223372036854775807');
    const answer = parseWeChatAnswer(text);
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(messageIdOf(answer!)).toBe('9223372036854775807');
    const spaced = parseWeChatAnswer('{ "errcode" : 0, "msgid" : 3662956322040938501 }');
    expect(messageIdOf(spaced!)).toBe('3662956322040938501');
  });

  it('should leave the text of a string field alone, even one that mentions msgid', () => {
    const text = '{"errcode":-1,"errmsg":"system error \\"msgid\\":12345678901234567890"}';
    expect(parseWeChatAnswer(text)).toMatchObject({
      errcode: -1,
      errmsg: 'system error "msgid":12345678901234567890',
    });
  });

  it('should read a body without errcode as a success, and refuse what is not an answer', () => {
    expect(parseWeChatAnswer('{"access_token":"t","expires_in":7200}')).toMatchObject({
      errcode: 0,
      errmsg: '',
      fields: { access_token: 't', expires_in: 7200 },
    });
    for (const text of ['<html>', '[]', 'null', '{"errcode":"40001"}', '{"errcode":1.5}'])
      expect(parseWeChatAnswer(text)).toBeUndefined();
  });
});

describe('retry times', () => {
  it('should wait for the next midnight in Beijing (UTC+8), not in UTC or local time', () => {
    expect(untilNextBeijingDay(at('2026-12-05T23:59:00+08:00'))).toBe(60_000);
    expect(untilNextBeijingDay(at('2026-12-06T00:00:00+08:00'))).toBe(86_400_000);
    // 15:59 UTC is 23:59 in Beijing; 16:00 UTC is already the next day there.
    expect(untilNextBeijingDay(at('2026-12-05T15:59:00Z'))).toBe(60_000);
    expect(untilNextBeijingDay(at('2026-12-05T16:00:00Z'))).toBe(86_400_000);
  });

  it('should wait for the start of the next minute', () => {
    expect(untilNextMinute(at('2026-12-05T08:14:59.250Z'))).toBe(750);
    expect(untilNextMinute(at('2026-12-05T08:14:00Z'))).toBe(60_000);
  });
});

describe('failureOfAnswer', () => {
  const now = at('2026-12-05T08:14:30+08:00');
  const answer = (errcode: number, errmsg = `error ${errcode}`) => ({
    errcode,
    errmsg,
    fields: {},
  });

  it.each([
    [-1, 'VENDOR_UNAVAILABLE'],
    [40003, 'BAD_RECIPIENT'],
    [43004, 'RECIPIENT_OPTED_OUT'],
    [43101, 'RECIPIENT_OPTED_OUT'],
    [40037, 'TEMPLATE_REJECTED'],
    [47003, 'TEMPLATE_REJECTED'],
    [43116, 'TEMPLATE_REJECTED'],
    [40013, 'CREDENTIALS_REJECTED'],
    [40125, 'CREDENTIALS_REJECTED'],
    [40164, 'CREDENTIALS_REJECTED'],
    [41002, 'CREDENTIALS_REJECTED'],
    [48001, 'VENDOR_UNAVAILABLE'],
  ] as const)('should map errcode %i to %s, keeping WeChat’s code and message', (errcode, code) => {
    const failure = failureOfAnswer(answer(errcode), now);
    expect(failure).toMatchObject({
      code,
      vendorCode: String(errcode),
      vendorMessage: `error ${errcode}`,
    });
    expect(failure.retryAfterMs).toBeUndefined();
  });

  it('should retry 45009 at midnight in Beijing and 45011 at the next minute', () => {
    expect(failureOfAnswer(answer(45009, 'reach max api daily quota limit'), now)).toEqual(
      deliveryFailed('THROTTLED', {
        code: '45009',
        message: 'reach max api daily quota limit',
        retryAfterMs: at('2026-12-06T00:00:00+08:00') - now,
      }),
    );
    expect(failureOfAnswer(answer(45011), now)).toMatchObject({
      code: 'THROTTLED',
      retryable: true,
      retryAfterMs: 30_000,
    });
  });
});

describe('readExchange', () => {
  it('should make no answer to a push TIMED_OUT, and to any other request VENDOR_UNAVAILABLE', () => {
    const timedOut = { kind: 'timed-out', message: 'no answer within 10 ms' } as const;
    const lost = { kind: 'lost', code: 'ECONNRESET', message: 'socket hang up' } as const;
    expect(readExchange(timedOut, true)).toMatchObject({
      failure: { code: 'TIMED_OUT', vendorCode: 'TIMEOUT' },
    });
    expect(readExchange(lost, true)).toMatchObject({
      failure: { code: 'TIMED_OUT', vendorCode: 'ECONNRESET', vendorMessage: 'socket hang up' },
    });
    expect(readExchange(timedOut, false)).toMatchObject({
      failure: { code: 'VENDOR_UNAVAILABLE' },
    });
    expect(readExchange(lost, false)).toMatchObject({ failure: { code: 'VENDOR_UNAVAILABLE' } });
  });

  it('should make a refused connection, an HTTP error and a body that is not JSON VENDOR_UNAVAILABLE', () => {
    const refused = { kind: 'unreachable', code: 'ECONNREFUSED', message: 'connect' } as const;
    expect(readExchange(refused, true)).toMatchObject({
      failure: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'ECONNREFUSED' },
    });
    expect(
      readExchange({ kind: 'answered', status: 502, text: 'Bad Gateway' }, true),
    ).toMatchObject({
      failure: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'HTTP 502', vendorMessage: 'Bad Gateway' },
    });
    expect(readExchange({ kind: 'answered', status: 200, text: '<html>' }, true)).toMatchObject({
      failure: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'HTTP 200' },
    });
    expect(
      readExchange({ kind: 'answered', status: 200, text: '{"errcode":43004}' }, true),
    ).toEqual({
      kind: 'answer',
      answer: { errcode: 43004, errmsg: '', fields: { errcode: 43004 } },
    });
  });
});
