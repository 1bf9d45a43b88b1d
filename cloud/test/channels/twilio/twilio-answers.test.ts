import { describe, expect, it } from 'vitest';
import { isRetryable } from '../../../src/channels/alert-channel.js';
import type { Exchange } from '../../../src/channels/http-exchange.js';
import type { UnsettledAttempt } from '../../../src/channels/twilio/attempt-store.js';
import {
  findAttemptMessage,
  outcomeOfCreate,
  outcomeOfList,
} from '../../../src/channels/twilio/twilio-answers.js';
import {
  rfc2822,
  type TwilioMessage,
  twilioError,
} from '../../../src/channels/twilio/twilio-wire.js';

const NOW = Date.UTC(2026, 11, 5, 8, 14, 0);

function answered(status: number, body: unknown, headers: Record<string, string> = {}): Exchange {
  return {
    kind: 'answered',
    status,
    headers: new Headers(headers),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('outcomeOfCreate', () => {
  it('should take a 201 with a message sid as delivered, settled', () => {
    const sid = `SM${'0123456789abcdef'.repeat(2)}`;
    expect(outcomeOfCreate(answered(201, { sid, status: 'queued' }), NOW)).toEqual({
      result: { outcome: 'delivered', messageId: sid, duplicate: false },
      unsettled: false,
    });
  });

  it.each([
    [401, 20003, 'CREDENTIALS_REJECTED'],
    [429, 20429, 'THROTTLED'],
    [400, 21610, 'RECIPIENT_OPTED_OUT'],
    [400, 21211, 'BAD_RECIPIENT'],
    [400, 21612, 'BAD_RECIPIENT'],
    [400, 21614, 'BAD_RECIPIENT'],
    [400, 21268, 'BAD_RECIPIENT'],
    [400, 21606, 'CREDENTIALS_REJECTED'],
    [400, 21659, 'CREDENTIALS_REJECTED'],
    [400, 21660, 'CREDENTIALS_REJECTED'],
    [400, 21705, 'CREDENTIALS_REJECTED'],
    [400, 21602, 'TEMPLATE_REJECTED'],
    [400, 21617, 'TEMPLATE_REJECTED'],
    [400, 21619, 'TEMPLATE_REJECTED'],
    [500, 20500, 'VENDOR_UNAVAILABLE'],
    [503, 20503, 'VENDOR_UNAVAILABLE'],
    [400, 21999, 'VENDOR_UNAVAILABLE'],
  ])(
    'should map HTTP %i with Twilio error %i to %s, keeping Twilio’s code and message',
    (status, code, expected) => {
      const { result, unsettled } = outcomeOfCreate(
        answered(status, twilioError(status, code, `message of ${code}`)),
        NOW,
      );
      expect(result).toEqual({
        outcome: 'failed',
        code: expected,
        retryable: isRetryable(expected as Parameters<typeof isRetryable>[0]),
        vendorCode: String(code),
        vendorMessage: `message of ${code}`,
      });
      // Only a 5xx may hide a message Twilio made: a 4xx is a refusal.
      expect(unsettled).toBe(status >= 500);
    },
  );

  it('should take Retry-After, in seconds or as a date, on a throttled answer', () => {
    const body = twilioError(429, 20429, 'Too Many Requests');
    const seconds = outcomeOfCreate(answered(429, body, { 'retry-after': '7' }), NOW).result;
    expect(seconds).toMatchObject({ code: 'THROTTLED', retryAfterMs: 7_000 });
    const date = new Date(NOW + 90_000).toUTCString();
    const dated = outcomeOfCreate(answered(429, body, { 'retry-after': date }), NOW).result;
    expect(dated).toMatchObject({ code: 'THROTTLED', retryAfterMs: 90_000 });
    expect(outcomeOfCreate(answered(429, body), NOW).result).not.toHaveProperty('retryAfterMs');
  });

  it('should map an answer that is not Twilio’s JSON by its HTTP status', () => {
    const html = outcomeOfCreate(answered(502, '<html>Bad Gateway</html>'), NOW);
    expect(html).toEqual({
      result: expect.objectContaining({
        code: 'VENDOR_UNAVAILABLE',
        vendorCode: 'HTTP 502',
        vendorMessage: '<html>Bad Gateway</html>',
      }),
      unsettled: true,
    });
    expect(outcomeOfCreate(answered(429, ''), NOW).result).toMatchObject({
      code: 'THROTTLED',
      vendorCode: 'HTTP 429',
      vendorMessage: 'HTTP status 429',
    });
    expect(outcomeOfCreate(answered(201, '{}'), NOW)).toMatchObject({
      result: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'HTTP 201' },
      unsettled: true,
    });
  });

  it('should leave a timeout and a connection lost after sending unsettled, a refused one not', () => {
    expect(outcomeOfCreate({ kind: 'timed-out', afterMs: 300 }, NOW)).toEqual({
      result: expect.objectContaining({
        code: 'TIMED_OUT',
        retryable: true,
        vendorCode: 'TIMEOUT',
        vendorMessage: 'no answer from Twilio within 300 ms',
      }),
      unsettled: true,
    });
    const reset = {
      kind: 'failed',
      code: 'ECONNRESET',
      message: 'read ECONNRESET',
      maybeSent: true,
    };
    expect(outcomeOfCreate(reset as Exchange, NOW)).toEqual({
      result: expect.objectContaining({ code: 'VENDOR_UNAVAILABLE', vendorCode: 'ECONNRESET' }),
      unsettled: true,
    });
    const refused = { ...reset, code: 'ECONNREFUSED', maybeSent: false } as Exchange;
    expect(outcomeOfCreate(refused, NOW).unsettled).toBe(false);
  });
});

describe('outcomeOfList', () => {
  it('should give the page, or a failure for an error, a timeout or a body without messages', () => {
    expect(outcomeOfList(answered(200, { messages: [], next_page_uri: null }), NOW)).toMatchObject({
      kind: 'page',
      page: { messages: [] },
    });
    expect(
      outcomeOfList(answered(401, twilioError(401, 20003, 'Authenticate')), NOW),
    ).toMatchObject({
      kind: 'failed',
      result: { code: 'CREDENTIALS_REJECTED', vendorCode: '20003' },
    });
    expect(outcomeOfList({ kind: 'timed-out', afterMs: 5 }, NOW)).toMatchObject({
      kind: 'failed',
      result: { code: 'TIMED_OUT' },
    });
    expect(outcomeOfList(answered(200, { page: 0 }), NOW)).toMatchObject({
      kind: 'failed',
      result: { code: 'VENDOR_UNAVAILABLE' },
    });
  });
});

describe('findAttemptMessage', () => {
  const attempt: UnsettledAttempt = {
    startedAt: NOW,
    sms: { to: '+447700900123', sender: { from: '+15005550006' }, body: 'Crash 粤B12345' },
  };
  const listed = (overrides: Partial<TwilioMessage>): TwilioMessage =>
    ({
      sid: `SM${'1'.repeat(32)}`,
      to: '+447700900123',
      from: '+15005550006',
      messaging_service_sid: null,
      body: 'Crash 粤B12345',
      direction: 'outbound-api',
      date_created: rfc2822(NOW + 1_000),
      ...overrides,
    }) as TwilioMessage;

  it('should find the message with the same To, sender and Body made since the attempt', () => {
    expect(findAttemptMessage([listed({})], attempt, 0)?.sid).toBe(`SM${'1'.repeat(32)}`);
  });

  it.each([
    ['another To', { to: '+447700900124' }],
    ['another From', { from: '+15005550007' }],
    ['another Body', { body: 'Crash 粤B12346' }],
    ['an inbound message', { direction: 'inbound' }],
    ['one made before the attempt', { date_created: rfc2822(NOW - 6_000) }],
  ])('should not take %s for it', (_, overrides) => {
    expect(findAttemptMessage([listed(overrides)], attempt, 5_000)).toBeUndefined();
  });

  it('should allow for Twilio’s clock lagging by the tolerance, and match a Messaging Service', () => {
    const early = listed({ date_created: rfc2822(NOW - 4_000) });
    expect(findAttemptMessage([early], attempt, 5_000)).toBe(early);
    expect(findAttemptMessage([early], attempt, 0)).toBeUndefined();
    const service = `MG${'2'.repeat(32)}`;
    const viaService = {
      ...attempt,
      sms: { ...attempt.sms, sender: { messagingServiceSid: service } },
    };
    expect(
      findAttemptMessage([listed({ messaging_service_sid: service })], viaService, 0),
    ).toBeDefined();
    expect(findAttemptMessage([listed({})], viaService, 0)).toBeUndefined();
  });
});
