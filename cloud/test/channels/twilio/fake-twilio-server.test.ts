import { afterEach, describe, expect, it } from 'vitest';
import type { TwilioErrorCode } from '../../../src/channels/twilio/fake-twilio-rules.js';
import { FakeTwilioServer } from '../../../src/channels/twilio/fake-twilio-server.js';
import {
  basicAuthorization,
  messagesPath,
  type TwilioMessage,
  type TwilioMessagePage,
} from '../../../src/channels/twilio/twilio-wire.js';

const OWN = '+15005550006';
const SERVICE = `MG${'c'.repeat(32)}`;
let now = Date.UTC(2026, 11, 5, 8, 14, 0);
const fakes: FakeTwilioServer[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function start(o: Parameters<typeof FakeTwilioServer.start>[0] = {}) {
  const fake = await FakeTwilioServer.start({
    numbers: [OWN],
    messagingServiceSids: [SERVICE],
    now: () => now,
    ...o,
  });
  fakes.push(fake);
  return fake;
}

interface Call {
  method?: string;
  form?: Record<string, string>;
  query?: string;
  authorization?: string | null;
  path?: string;
}

async function call(fake: FakeTwilioServer, c: Call = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const authorization =
    c.authorization === undefined
      ? basicAuthorization(fake.accountSid, fake.authToken)
      : c.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const path = c.path ?? messagesPath(fake.accountSid);
  const res = await fetch(`${fake.url}${path}${c.query ? `?${c.query}` : ''}`, {
    method: c.method ?? (c.form ? 'POST' : 'GET'),
    headers,
    ...(c.form ? { body: new URLSearchParams(c.form).toString() } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const sms = { To: '+447700900123', From: OWN, Body: 'Crash: 粤B12345' };

async function expectError(
  answer: Promise<{ status: number; body: Record<string, unknown> }>,
  status: number,
  code: TwilioErrorCode,
) {
  const { status: got, body } = await answer;
  expect({ status: got, code: body.code }).toEqual({ status, code });
  expect(body).toEqual({
    code,
    message: expect.any(String),
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

describe('FakeTwilioServer: create', () => {
  it('should accept a good message with 201, a queued message and an SM sid, and record it', async () => {
    const fake = await start();
    const { status, body } = await call(fake, {
      form: { ...sms, StatusCallback: 'https://fleetline.example/s?key=k' },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      account_sid: fake.accountSid,
      to: sms.To,
      from: OWN,
      body: sms.Body,
      status: 'queued',
      direction: 'outbound-api',
      date_created: 'Sat, 05 Dec 2026 08:14:00 +0000',
      date_sent: null,
      error_code: null,
    });
    expect(fake.messages).toEqual([
      {
        sid: body.sid,
        to: sms.To,
        from: OWN,
        messagingServiceSid: null,
        body: sms.Body,
        statusCallback: 'https://fleetline.example/s?key=k',
        createdAt: now,
      },
    ]);
  });

  it('should refuse a wrong token, no credentials and another account’s path with 20003 / 401', async () => {
    const fake = await start();
    await expectError(
      call(fake, { form: sms, authorization: basicAuthorization(fake.accountSid, 'x') }),
      401,
      20003,
    );
    await expectError(call(fake, { form: sms, authorization: null }), 401, 20003);
    await expectError(
      call(fake, { form: sms, path: messagesPath(`AC${'b'.repeat(32)}`) }),
      401,
      20003,
    );
    expect(fake.messages).toEqual([]);
  });

  it.each([
    ['no To', { From: OWN, Body: 'x' }, 21604],
    ['neither From nor MessagingServiceSid', { To: sms.To, Body: 'x' }, 21603],
    ['no Body', { To: sms.To, From: OWN }, 21602],
    ['a To not in E.164', { ...sms, To: '07700 900123' }, 21211],
    ['a From the account does not own', { ...sms, From: '+15005550009' }, 21660],
    [
      'a Messaging Service it does not have',
      { To: sms.To, Body: 'x', MessagingServiceSid: `MG${'d'.repeat(32)}` },
      21705,
    ],
    ['a Body over 1,600 characters', { ...sms, Body: '警'.repeat(1601) }, 21617],
  ] as const)('should refuse %s with 400 and Twilio’s code', async (_, form, code) => {
    const fake = await start();
    await expectError(call(fake, { form }), 400, code);
    expect(fake.messages).toEqual([]);
  });

  it('should take a Body of exactly 1,600 characters, and a Messaging Service without From', async () => {
    const fake = await start();
    expect((await call(fake, { form: { ...sms, Body: '警'.repeat(1600) } })).status).toBe(201);
    const viaService = await call(fake, {
      form: { To: sms.To, Body: 'x', MessagingServiceSid: SERVICE },
    });
    expect(viaService).toMatchObject({ status: 201, body: { status: 'accepted', from: null } });
  });

  it('should refuse numbers that replied STOP with 21610', async () => {
    const fake = await start({ optedOut: ['+447700900999'] });
    await expectError(call(fake, { form: { ...sms, To: '+447700900999' } }), 400, 21610);
    fake.optOut(sms.To);
    await expectError(call(fake, { form: sms }), 400, 21610);
  });

  it('should fail the next create with an injected error, once', async () => {
    const fake = await start();
    fake.failNext(20503);
    await expectError(call(fake, { form: sms }), 503, 20503);
    expect((await call(fake, { form: sms })).status).toBe(201);
  });

  it('should answer 20429 past its concurrency limit', async () => {
    const fake = await start({ maxConcurrentRequests: 1 });
    fake.delayAnswers(300);
    const [first, second] = await Promise.all([
      call(fake, { form: sms }),
      call(fake, { form: sms }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 429]);
    expect([first.body.code, second.body.code]).toContain(20429);
    expect(fake.messages).toHaveLength(1);
  });

  it('should take the message and drop the connection when told to lose the answer', async () => {
    const fake = await start();
    fake.loseNextAnswer('reset');
    await expect(call(fake, { form: sms })).rejects.toThrow();
    expect(fake.messages).toHaveLength(1);
  });

  it('should answer 20404 for other paths and 20004 for other methods', async () => {
    const fake = await start();
    await expectError(
      call(fake, { path: `/2010-04-01/Accounts/${fake.accountSid}/Calls.json` }),
      404,
      20404,
    );
    await expectError(call(fake, { method: 'DELETE' }), 405, 20004);
  });
});

describe('FakeTwilioServer: list', () => {
  async function send(fake: FakeTwilioServer, form: Record<string, string>, at: number) {
    now = at;
    return (await call(fake, { form })).body as unknown as TwilioMessage;
  }
  const day = (d: number, h = 12) => Date.UTC(2026, 11, d, h, 0, 0);

  it('should list newest first, filtered by To, From and DateSent>, as sent messages', async () => {
    const fake = await start({ numbers: [OWN, '+15005550007'] });
    await send(fake, sms, day(3));
    const b = await send(fake, sms, day(4, 0));
    const c = await send(fake, sms, day(5));
    await send(fake, { ...sms, To: '+447700900124' }, day(5));
    await send(fake, { ...sms, From: '+15005550007' }, day(5));
    const { status, body } = await call(fake, {
      query: new URLSearchParams({ To: sms.To, From: OWN, 'DateSent>': '2026-12-04' }).toString(),
    });
    expect(status).toBe(200);
    const page = body as unknown as TwilioMessagePage;
    expect(page.messages.map((m) => m.sid)).toEqual([c.sid, b.sid]);
    expect(page.messages[0]).toMatchObject({
      status: 'sent',
      date_sent: page.messages[0]?.date_created,
    });
    expect(page).toMatchObject({ page: 0, page_size: 50, start: 0, end: 1, next_page_uri: null });
  });

  it('should filter by DateSent and DateSent< (on, on or before), and by a full date-time', async () => {
    const fake = await start();
    const a = await send(fake, sms, day(3));
    const b = await send(fake, sms, day(4));
    const sids = async (q: Record<string, string>) =>
      (
        (await call(fake, { query: new URLSearchParams(q).toString() }))
          .body as unknown as TwilioMessagePage
      ).messages.map((m) => m.sid);
    expect(await sids({ DateSent: '2026-12-04' })).toEqual([b.sid]);
    expect(await sids({ 'DateSent<': '2026-12-03' })).toEqual([a.sid]);
    expect(await sids({ 'DateSent>': new Date(day(3, 13)).toISOString() })).toEqual([b.sid]);
  });

  it('should page with PageSize and give next_page_uri until the last page', async () => {
    const fake = await start();
    const sent = [];
    for (let d = 1; d <= 5; d++) sent.push(await send(fake, sms, day(d)));
    const first = (await call(fake, { query: 'PageSize=2' })).body as unknown as TwilioMessagePage;
    expect(first.messages.map((m) => m.sid)).toEqual([sent[4]?.sid, sent[3]?.sid]);
    expect(first.next_page_uri).toMatch(/PageSize=2&Page=1&PageToken=PA[0-9a-f]{32}$/);
    const [path, query] = (first.next_page_uri ?? '').split('?');
    const second = (await call(fake, { path, query })).body as unknown as TwilioMessagePage;
    expect(second).toMatchObject({ page: 1, start: 2, end: 3 });
    expect(second.messages.map((m) => m.sid)).toEqual([sent[2]?.sid, sent[1]?.sid]);
  });

  it('should refuse a list without credentials, and fail a list on request', async () => {
    const fake = await start();
    await expectError(call(fake, { authorization: null }), 401, 20003);
    fake.failNext(20500, 'list');
    await expectError(call(fake, {}), 500, 20500);
    expect((await call(fake, {})).status).toBe(200);
  });
});
