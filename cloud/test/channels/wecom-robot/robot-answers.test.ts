import { describe, expect, it } from 'vitest';
import { isRetryable } from '../../../src/channels/alert-channel.js';
import type { Exchange } from '../../../src/channels/http-exchange.js';
import { outcomeOfPost } from '../../../src/channels/wecom-robot/robot-answers.js';

const answered = (body: unknown, status = 200): Exchange => ({
  kind: 'answered',
  status,
  headers: new Headers(),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('outcomeOfPost', () => {
  it('should take errcode 0 as posted, under the id the adapter gave the post', () => {
    expect(outcomeOfPost(answered({ errcode: 0, errmsg: 'ok' }), 'id-1')).toEqual({
      result: { outcome: 'delivered', messageId: 'id-1', duplicate: false },
      posted: 'yes',
    });
  });

  it.each([
    [93000, 'BAD_RECIPIENT'],
    [40058, 'TEMPLATE_REJECTED'],
    [40008, 'TEMPLATE_REJECTED'],
    [44004, 'TEMPLATE_REJECTED'],
    [45009, 'THROTTLED'],
    [-1, 'VENDOR_UNAVAILABLE'],
    [60020, 'VENDOR_UNAVAILABLE'],
  ] as const)(
    'should map errcode %i to %s, keeping WeCom’s errcode and errmsg',
    (errcode, code) => {
      const errmsg = `errmsg of ${errcode}, hint: [1], from ip: 127.0.0.1`;
      const { result, posted } = outcomeOfPost(answered({ errcode, errmsg }), 'id');
      expect(result).toEqual({
        outcome: 'failed',
        code,
        retryable: isRetryable(code),
        vendorCode: String(errcode),
        vendorMessage: errmsg,
        ...(code === 'THROTTLED' ? { retryAfterMs: 60_000 } : {}),
      });
      expect(posted).toBe('no');
    },
  );

  it('should take an answer other than WeCom’s HTTP 200 JSON as not posted, the vendor unavailable', () => {
    expect(outcomeOfPost(answered('<html>502</html>', 502), 'id')).toEqual({
      result: expect.objectContaining({ code: 'VENDOR_UNAVAILABLE', vendorCode: 'HTTP 502' }),
      posted: 'no',
    });
    expect(outcomeOfPost(answered('not json'), 'id').result).toMatchObject({
      vendorCode: 'HTTP 200',
    });
  });

  it('should leave a timeout and a dropped connection unknown, a refused connection not posted', () => {
    expect(outcomeOfPost({ kind: 'timed-out', afterMs: 9 }, 'id')).toEqual({
      result: expect.objectContaining({ code: 'TIMED_OUT', vendorCode: 'TIMEOUT' }),
      posted: 'unknown',
    });
    const reset = {
      kind: 'failed',
      code: 'UND_ERR_SOCKET',
      message: 'other side closed',
      maybeSent: true,
    } as const;
    expect(outcomeOfPost(reset, 'id')).toMatchObject({
      result: { code: 'VENDOR_UNAVAILABLE', vendorCode: 'UND_ERR_SOCKET' },
      posted: 'unknown',
    });
    expect(outcomeOfPost({ ...reset, code: 'ECONNREFUSED', maybeSent: false }, 'id').posted).toBe(
      'no',
    );
  });
});
