import { afterEach, describe, expect, it } from 'vitest';
import { FakeWeChatServer } from '../../../src/channels/wechat/fake/fake-wechat-server.js';
import { WeChatClient } from '../../../src/channels/wechat/wechat-client.js';
import { templateSendRequest } from '../../../src/channels/wechat/wechat-requests.js';
import { closeRigs, collisionMessage, openRig, TestClock } from './harness.js';

afterEach(closeRigs);

const delivered = {
  outcome: 'delivered',
  messageId: expect.stringMatching(/^\d+$/),
  duplicate: false,
};

describe('WeChatClient access token', () => {
  it('should keep the token across sends', async () => {
    const { fake, channel } = await openRig();
    for (let i = 0; i < 3; i++) expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(fake.stats()).toMatchObject({ tokenRequests: 1, sendErrcodes: [0, 0, 0] });
  });

  it('should ask for one token when the first sends go out at the same time', async () => {
    const { fake, channel } = await openRig();
    const results = await Promise.all([1, 2, 3, 4].map(() => channel.send(collisionMessage())));
    expect(results).toEqual([delivered, delivered, delivered, delivered]);
    expect(fake.stats().tokenRequests).toBe(1);
  });

  it('should fetch the current token once after a revoked one is refused, and deliver', async () => {
    const { fake, channel } = await openRig();
    await channel.send(collisionMessage());
    fake.revokeToken();
    expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(fake.stats()).toEqual({
      tokenRequests: 2,
      forcedRefreshes: 0,
      sendErrcodes: [0, 40001, 0, 0],
    });
    expect(fake.pushes()).toHaveLength(3);
  });

  it('should refetch a token that expired while the client still counted on it (42001)', async () => {
    // The client's clock stays put while WeChat's moves on: the token expires there first.
    const clientClock = new TestClock();
    const { fake, channel, clock } = await openRig({}, { now: clientClock.now });
    await channel.send(collisionMessage());
    clock.advance(7_200_000);
    expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(fake.stats()).toMatchObject({ tokenRequests: 2, sendErrcodes: [0, 42001, 0] });
  });

  it('should answer CREDENTIALS_REJECTED when the fresh token is refused too, and recover after', async () => {
    const { fake, channel } = await openRig();
    fake.failNext(40001);
    fake.failNext(40001);
    expect(await channel.send(collisionMessage())).toMatchObject({
      outcome: 'failed',
      code: 'CREDENTIALS_REJECTED',
      retryable: false,
      vendorCode: '40001',
      vendorMessage: expect.stringMatching(/^invalid credential/),
    });
    expect(fake.stats()).toMatchObject({ tokenRequests: 2, forcedRefreshes: 0 });
    expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(fake.pushes()).toHaveLength(1);
  });

  it('should replace the token 5 minutes before it expires, before WeChat refuses it', async () => {
    const { fake, channel, clock } = await openRig();
    await channel.send(collisionMessage());
    clock.advance(7_200_000 - 300_000);
    expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(fake.stats()).toMatchObject({ tokenRequests: 2, sendErrcodes: [0, 0] });
  });

  it.each([
    ['a wrong secret', { appSecret: 'wrong' }, {}, '40125', /^invalid appsecret/],
    ['an unknown AppID', { appId: 'wx0000000000000000' }, {}, '40013', /^invalid appid/],
    [
      'an address off the whitelist',
      {},
      { ipWhitelist: ['203.0.113.7'] },
      '40164',
      /not in whitelist/,
    ],
  ])(
    'should answer CREDENTIALS_REJECTED for %s and push nothing',
    async (_, client, fakeOptions, vendorCode, message) => {
      const { fake, channel } = await openRig(fakeOptions, client);
      expect(await channel.send(collisionMessage())).toMatchObject({
        outcome: 'failed',
        code: 'CREDENTIALS_REJECTED',
        retryable: false,
        vendorCode,
        vendorMessage: expect.stringMatching(message),
      });
      expect(fake.stats().sendErrcodes).toEqual([]);
    },
  );

  it('should pass on a busy or rate-limited token service as retryable, and ask again next time', async () => {
    const { fake, channel, clock } = await openRig();
    clock.ms = Date.parse('2026-12-05T20:00:00+08:00');
    fake.failNextTokenRequest(-1);
    fake.failNextTokenRequest(45009);
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      retryable: true,
      vendorCode: '-1',
    });
    expect(await channel.send(collisionMessage())).toMatchObject({
      code: 'THROTTLED',
      vendorCode: '45009',
      retryAfterMs: 4 * 3_600_000,
    });
    expect(await channel.send(collisionMessage())).toEqual(delivered);
    expect(fake.stats().tokenRequests).toBe(3);
  });

  it('should answer VENDOR_UNAVAILABLE when WeChat cannot be reached', async () => {
    const gone = await FakeWeChatServer.start();
    const url = gone.url;
    await gone.close();
    const client = new WeChatClient({ appId: gone.appId, appSecret: gone.appSecret, baseUrl: url });
    expect(await client.sendTemplateMessage(templateSendRequest(collisionMessage()))).toMatchObject(
      {
        outcome: 'failed',
        code: 'VENDOR_UNAVAILABLE',
        vendorCode: 'ECONNREFUSED',
      },
    );
  });

  it('should create a QR code with the token the template messages use', async () => {
    const { fake, channel, client } = await openRig();
    await channel.send(collisionMessage());
    const code = await client.createQrCode({ sceneStr: 'bind:person-1', expireSeconds: 600 });
    expect(code).toEqual({
      outcome: 'created',
      ticket: expect.stringMatching(/^gQ/),
      expireSeconds: 600,
      url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//),
      imageUrl: expect.stringMatching(
        /^https:\/\/mp\.weixin\.qq\.com\/cgi-bin\/showqrcode\?ticket=gQ/,
      ),
    });
    const { ticket, imageUrl } = code as { ticket: string; imageUrl: string };
    expect(new URL(imageUrl).searchParams.get('ticket')).toBe(ticket);
    expect(fake.qrCodes()).toEqual([
      expect.objectContaining({ ticket, sceneStr: 'bind:person-1' }),
    ]);
    expect(fake.stats().tokenRequests).toBe(1);
  });
});
