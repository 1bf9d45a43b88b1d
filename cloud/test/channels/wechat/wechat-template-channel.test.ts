import { afterEach, describe, expect, it } from 'vitest';
import { closeRigs, collision, collisionMessage, follower, openRig } from './harness.js';

afterEach(closeRigs);

describe('WeChatTemplateChannel answers', () => {
  it('should deliver with WeChat’s msgid, 2^63-1 kept exact as text', async () => {
    const { fake, channel } = await openRig();
    fake.setNextMsgId(2n ** 63n - 1n);
    const m = collisionMessage();
    expect(await channel.send(m)).toEqual({
      outcome: 'delivered',
      messageId: '9223372036854775807',
      duplicate: false,
    });
    expect(fake.pushes()).toEqual([
      expect.objectContaining({
        touser: follower,
        templateId: collision.id,
        url: m.link,
        clientMsgId: m.idempotencyKey,
        msgid: '9223372036854775807',
      }),
    ]);
  });

  it.each([
    [40003, 'BAD_RECIPIENT', false],
    [43004, 'RECIPIENT_OPTED_OUT', false],
    [43101, 'RECIPIENT_OPTED_OUT', false],
    [40037, 'TEMPLATE_REJECTED', false],
    [47003, 'TEMPLATE_REJECTED', false],
    [-1, 'VENDOR_UNAVAILABLE', true],
    [45011, 'THROTTLED', true],
    [48001, 'VENDOR_UNAVAILABLE', true],
  ] as const)(
    'should answer errcode %i as %s, keeping WeChat’s code and text',
    async (errcode, code, retryable) => {
      const { fake, channel } = await openRig();
      fake.failNext(errcode);
      const result = await channel.send(collisionMessage());
      expect(result).toMatchObject({
        outcome: 'failed',
        code,
        retryable,
        vendorCode: String(errcode),
        vendorMessage: expect.stringMatching(/ rid: /),
      });
      expect(fake.pushes()).toEqual([]);
    },
  );

  it('should retry 45009 at midnight in Beijing and 45011 at the next minute', async () => {
    const { fake, channel, clock } = await openRig();
    clock.ms = Date.parse('2026-12-05T22:30:15+08:00');
    fake.failNext(45009);
    fake.failNext(45011);
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'THROTTLED',
      vendorCode: '45009',
      vendorMessage: expect.stringMatching(/^reach max api daily quota limit/),
      retryAfterMs: 5_385_000,
    });
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'THROTTLED',
      vendorCode: '45011',
      retryAfterMs: 45_000,
    });
  });

  it('should hear WeChat’s own refusals: a follower gone, a template whose keys differ', async () => {
    const { fake, channel } = await openRig();
    fake.removeFollower(follower);
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'RECIPIENT_OPTED_OUT',
      vendorCode: '43004',
      vendorMessage: expect.stringMatching(/^require subscribe/),
    });
    fake.addFollower(follower);
    fake.registerTemplate({ id: collision.id, parameters: ['plate', 'time', 'place', 'speed'] });
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'TEMPLATE_REJECTED',
      vendorCode: '47003',
      vendorMessage: expect.stringMatching(/data\.speed\.value/),
    });
    const stranger = collisionMessage({ recipient: { kind: 'wechat', openid: 'o-short' } });
    expect(await channel.send(stranger)).toMatchObject({
      code: 'BAD_RECIPIENT',
      vendorCode: '40003',
    });
    expect(fake.pushes()).toEqual([]);
  });

  it('should answer an HTTP error VENDOR_UNAVAILABLE with its status, and no answer in time TIMED_OUT', async () => {
    const { fake, channel } = await openRig({}, { timeoutMs: 300 });
    fake.failNextWithHttpStatus(503);
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      vendorCode: 'HTTP 503',
    });
    await channel.send(collisionMessage()); // the token is fetched before answers slow down
    fake.delayAnswers(5_000);
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'TIMED_OUT',
      retryable: true,
      vendorCode: 'TIMEOUT',
    });
  });
});

describe('WeChatTemplateChannel after a lost answer', () => {
  it.each(['hang', 'reset'] as const)(
    'should answer TIMED_OUT, then find the push by client_msg_id instead of repeating it (%s)',
    async (mode) => {
      const { fake, channel } = await openRig({}, { timeoutMs: 500 });
      const m = collisionMessage();
      await channel.send(collisionMessage()); // token in hand
      fake.loseNextAnswer(mode);
      expect(await channel.send(m)).toMatchObject({ outcome: 'failed', code: 'TIMED_OUT' });
      const [, lost] = fake.pushes();
      expect(lost?.clientMsgId).toBe(m.idempotencyKey);
      expect(await channel.send(m)).toEqual({
        outcome: 'delivered',
        messageId: lost?.msgid,
        duplicate: false,
      });
      expect(await channel.send(m)).toEqual({
        outcome: 'delivered',
        messageId: lost?.msgid,
        duplicate: true,
      });
      expect(fake.pushes()).toHaveLength(2);
      expect(fake.stats().sendErrcodes).toEqual([0, 0, 0]);
    },
  );

  it('should push again past WeChat’s 10 minutes: what its documentation leaves unpromised', async () => {
    const { fake, channel, clock } = await openRig({}, { timeoutMs: 500 });
    const m = collisionMessage();
    fake.loseNextAnswer('hang');
    expect(await channel.send(m)).toMatchObject({ code: 'TIMED_OUT' });
    clock.advance(600_000);
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: false });
    expect(fake.pushes().map((p) => p.clientMsgId)).toEqual([m.idempotencyKey, m.idempotencyKey]);
  });
});
