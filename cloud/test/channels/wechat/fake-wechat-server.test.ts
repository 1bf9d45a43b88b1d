import { afterEach, describe, expect, it } from 'vitest';
import { closeRigs, collision, follower, openRig, post, tokenOf } from './harness.js';

afterEach(closeRigs);

const TOKEN = '/cgi-bin/stable_token';
const SEND = '/cgi-bin/message/template/send';
const QR = '/cgi-bin/qrcode/create';
/** WeChat's error text ends with its request id. */
const rid = (errmsg: string) => new RegExp(`^${errmsg} rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`);

const sendBody = (overrides: Record<string, unknown> = {}) => ({
  touser: follower,
  template_id: collision.id,
  client_msg_id: 'key-1',
  data: { plate: { value: '粤B12345' }, time: { value: '08:14' }, place: { value: '深南大道' } },
  ...overrides,
});

describe('FakeWeChatServer stable_token', () => {
  it('should answer the account’s token, the same one until its last 5 minutes', async () => {
    const { fake, clock } = await openRig();
    const first = await post(fake, TOKEN, {
      grant_type: 'client_credential',
      appid: fake.appId,
      secret: fake.appSecret,
    });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ access_token: expect.stringMatching(/^\d+_/), expires_in: 7200 });
    clock.advance(1_000_000);
    const again = await tokenOf(fake);
    expect(again).toBe(first.json.access_token);
    clock.advance(7_200_000 - 1_000_000 - 300_000);
    expect(await tokenOf(fake)).not.toBe(first.json.access_token);
  });

  it.each([
    [{ appid: 'wx5f1ee71e0000demo', secret: 'x' }, 40002, 'invalid grant_type'],
    [{ grant_type: 'client_credential', secret: 'x' }, 41002, 'appid missing'],
    [{ grant_type: 'client_credential', appid: 'wx5f1ee71e0000demo' }, 41004, 'appsecret missing'],
    [{ grant_type: 'client_credential', appid: 'wx0000', secret: 'x' }, 40013, 'invalid appid'],
    [
      { grant_type: 'client_credential', appid: 'wx5f1ee71e0000demo', secret: 'wrong' },
      40125,
      'invalid appsecret',
    ],
  ])('should refuse %j with %i', async (body, errcode, errmsg) => {
    const { fake } = await openRig();
    const { status, json } = await post(fake, TOKEN, body);
    expect(status).toBe(200);
    expect(json).toEqual({ errcode, errmsg: expect.stringMatching(rid(errmsg)) });
  });

  it('should refuse a caller off the IP whitelist with 40164, naming its address', async () => {
    const { fake } = await openRig({ ipWhitelist: ['203.0.113.7'] });
    const { json } = await post(fake, TOKEN, {
      grant_type: 'client_credential',
      appid: fake.appId,
      secret: fake.appSecret,
    });
    expect(json).toEqual({
      errcode: 40164,
      errmsg: expect.stringMatching(
        /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: /,
      ),
    });
  });

  it('should refuse a GET with 43002 and a body that is not JSON with 47001', async () => {
    const { fake } = await openRig();
    expect((await post(fake, TOKEN, undefined, 'GET')).json.errcode).toBe(43002);
    expect((await post(fake, TOKEN, 'grant_type=client_credential')).json.errcode).toBe(47001);
  });

  it('should invalidate the current token on a forced refresh, at most once in 30 s', async () => {
    const { fake, clock } = await openRig();
    const old = await tokenOf(fake);
    const forced = {
      grant_type: 'client_credential',
      appid: fake.appId,
      secret: fake.appSecret,
      force_refresh: true,
    };
    const fresh = (await post(fake, TOKEN, forced)).json.access_token as string;
    expect(fresh).not.toBe(old);
    expect((await post(fake, `${SEND}?access_token=${old}`, sendBody())).json.errcode).toBe(40001);
    expect((await post(fake, TOKEN, forced)).json.errcode).toBe(45011);
    clock.advance(30_000);
    expect((await post(fake, TOKEN, forced)).json.access_token).toEqual(expect.any(String));
    expect(fake.stats()).toMatchObject({ tokenRequests: 4, forcedRefreshes: 2 });
  });
});

describe('FakeWeChatServer template send', () => {
  it('should check the token: missing 41001, not WeChat’s 40014, revoked 40001, expired 42001', async () => {
    const { fake, clock } = await openRig();
    const send = (query: string) => post(fake, `${SEND}${query}`, sendBody());
    expect((await send('')).json).toEqual({
      errcode: 41001,
      errmsg: expect.stringMatching(rid('access_token missing')),
    });
    expect((await send('?access_token=letmein')).json.errcode).toBe(40014);
    const revoked = await tokenOf(fake);
    fake.revokeToken();
    expect((await send(`?access_token=${revoked}`)).json.errcode).toBe(40001);
    const expiring = await tokenOf(fake);
    expect(expiring).not.toBe(revoked);
    clock.advance(7_200_000);
    expect((await send(`?access_token=${expiring}`)).json.errcode).toBe(42001);
    expect(fake.pushes()).toEqual([]);
  });

  it('should take a valid send with a msgid above 2^53, written as a bare integer', async () => {
    const { fake } = await openRig();
    const { text, json } = await post(
      fake,
      `${SEND}?access_token=${await tokenOf(fake)}`,
      sendBody(),
    );
    const msgid = /"msgid":(\d+)}$/.exec(text)?.[1];
    expect(json).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(BigInt(msgid!)).toBeGreaterThan(2n ** 53n);
    expect(fake.pushes()).toEqual([
      {
        touser: follower,
        templateId: collision.id,
        clientMsgId: 'key-1',
        data: { plate: '粤B12345', time: '08:14', place: '深南大道' },
        msgid,
        at: expect.any(Number),
      },
    ]);
  });

  it.each([
    ['an openid that is not one', { touser: 'not-an-openid' }, 40003, /^invalid openid/],
    ['a non-follower', { touser: 'oSomebodyElse_NotFollowing01' }, 43004, /^require subscribe/],
    ['an unknown template', { template_id: 'nope' }, 40037, /^invalid template_id/],
    ['no data', { data: undefined }, 47003, /^argument invalid! data is empty/],
    [
      'a data key missing',
      { data: { plate: { value: 'x' }, time: { value: 'y' } } },
      47003,
      /^argument invalid! data\.place\.value is empty/,
    ],
    [
      'a data key the template lacks',
      { data: { ...sendBody().data, speed: { value: '87 km/h' } } },
      47003,
      /^argument invalid! data\.speed is not in the template/,
    ],
    [
      'a value that is not text',
      { data: { ...sendBody().data, time: { value: 814 } } },
      47003,
      /data\.time\.value/,
    ],
    ['a client_msg_id that is not text', { client_msg_id: 7 }, 47001, /^data format error/],
  ])(
    'should refuse %s with its errcode and push nothing',
    async (_, overrides, errcode, errmsg) => {
      const { fake } = await openRig();
      const { json } = await post(
        fake,
        `${SEND}?access_token=${await tokenOf(fake)}`,
        sendBody(overrides),
      );
      expect(json.errcode).toBe(errcode);
      expect(json.errmsg).toMatch(errmsg);
      expect(fake.pushes()).toEqual([]);
    },
  );

  it('should push one message per openid and client_msg_id in 10 minutes, answering the first msgid', async () => {
    const { fake, clock } = await openRig();
    fake.addFollower('oSecondFollower_xxxxxxxxxxxx');
    const token = await tokenOf(fake);
    const send = (body = sendBody()) => post(fake, `${SEND}?access_token=${token}`, body);
    const first = await send();
    clock.advance(599_999);
    expect((await send()).text).toBe(first.text);
    expect(fake.pushes()).toHaveLength(1);
    await send(sendBody({ touser: 'oSecondFollower_xxxxxxxxxxxx' }));
    expect(fake.pushes()).toHaveLength(2);
    clock.advance(1);
    const late = await send();
    expect(late.json.errcode).toBe(0);
    expect(late.text).not.toBe(first.text);
    expect(fake.pushes()).toHaveLength(3);
  });

  it('should answer 45011 past the minute’s quota and 45009 past the day’s, until they turn', async () => {
    const { fake, clock } = await openRig({ perMinuteSendQuota: 1, dailySendQuota: 2 });
    clock.ms = Date.parse('2026-12-05T23:57:00+08:00');
    const token = await tokenOf(fake);
    const send = (key: string) =>
      post(fake, `${SEND}?access_token=${token}`, sendBody({ client_msg_id: key }));
    expect((await send('a')).json.errcode).toBe(0);
    expect((await send('b')).json.errcode).toBe(45011);
    clock.advance(60_000);
    expect((await send('c')).json.errcode).toBe(0);
    clock.advance(60_000);
    expect((await send('d')).json.errcode).toBe(45009);
    clock.ms = Date.parse('2026-12-06T00:00:00+08:00');
    expect((await send('e')).json.errcode).toBe(0);
    expect(fake.pushes().map((p) => p.clientMsgId)).toEqual(['a', 'c', 'e']);
  });
});

describe('FakeWeChatServer qrcode/create', () => {
  it('should create a temporary code with a string scene, 60 s unless told', async () => {
    const { fake } = await openRig();
    const token = await tokenOf(fake);
    const create = (body: unknown) => post(fake, `${QR}?access_token=${token}`, body);
    const scene = {
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: 'bind:p-1' } },
    };
    const { json } = await create(scene);
    expect(json).toEqual({
      ticket: expect.stringMatching(/^gQ/),
      expire_seconds: 60,
      url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//),
    });
    expect((await create({ ...scene, expire_seconds: 9_999_999 })).json.expire_seconds).toBe(
      2_592_000,
    );
    expect(fake.qrCodes().map((c) => [c.sceneStr, c.expireSeconds])).toEqual([
      ['bind:p-1', 60],
      ['bind:p-1', 2_592_000],
    ]);
  });

  it('should refuse an unknown action with 40052 and a scene past 64 characters with 40053', async () => {
    const { fake } = await openRig();
    const token = await tokenOf(fake);
    const create = (body: unknown) => post(fake, `${QR}?access_token=${token}`, body);
    const scene = (s: string) => ({ scene: { scene_str: s } });
    expect((await create({ action_name: 'QR_ANY', action_info: scene('a') })).json.errcode).toBe(
      40052,
    );
    expect(
      (await create({ action_name: 'QR_STR_SCENE', action_info: scene('x'.repeat(65)) })).json,
    ).toEqual({
      errcode: 40053,
      errmsg: expect.stringMatching(rid('invalid action info, please check document')),
    });
    expect(
      (await post(fake, `${QR}?access_token=nope`, { action_name: 'QR_STR_SCENE' })).json.errcode,
    ).toBe(40014);
    expect(fake.qrCodes()).toEqual([]);
  });
});
