import { afterEach, describe, expect, it } from 'vitest';
import type { RobotErrcode } from '../../../src/channels/wecom-robot/fake-robot-rules.js';
import {
  FakeRobotServer,
  type FakeRobotServerOptions,
} from '../../../src/channels/wecom-robot/fake-robot-server.js';
import { webhookUrl } from '../../../src/channels/wecom-robot/robot-wire.js';

const fakes: FakeRobotServer[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function start(o: FakeRobotServerOptions = {}) {
  const fake = await FakeRobotServer.start(o);
  fakes.push(fake);
  return fake;
}

async function post(fake: FakeRobotServer, body: unknown, key = fake.key, method = 'POST') {
  const res = await fetch(webhookUrl(fake.url, key), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, answer: (await res.json()) as { errcode: number; errmsg: string } };
}

async function expectErrcode(
  attempt: Promise<{ status: number; answer: { errcode: number; errmsg: string } }>,
  errcode: RobotErrcode,
  words: RegExp,
) {
  const { status, answer } = await attempt;
  // WeCom answers errors with HTTP 200 too.
  expect({ status, errcode: answer.errcode }).toEqual({ status: 200, errcode });
  expect(answer.errmsg).toMatch(words);
  expect(answer.errmsg).toMatch(
    new RegExp(
      `, hint: \\[[0-9]+\\], from ip: [0-9.:a-f]+, more info at https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=${errcode}$`,
    ),
  );
}

const markdown = (content: string) => ({ msgtype: 'markdown', markdown: { content } });
const text = (content: string, mobiles?: string[]) => ({
  msgtype: 'text',
  text: { content, ...(mobiles ? { mentioned_mobile_list: mobiles } : {}) },
});

describe('FakeRobotServer', () => {
  it('should take a markdown or text post with errcode 0 and record it with its mentions', async () => {
    const fake = await start({ now: () => 42 });
    expect(await post(fake, markdown('**Crash** 粤B12345'))).toEqual({
      status: 200,
      answer: { errcode: 0, errmsg: 'ok' },
    });
    await post(fake, text('Crash', ['13800001111', '@all']));
    expect(fake.posts).toEqual([
      {
        key: fake.key,
        msgtype: 'markdown',
        content: '**Crash** 粤B12345',
        mentionedMobiles: [],
        mentionedUserids: [],
        at: 42,
      },
      {
        key: fake.key,
        msgtype: 'text',
        content: 'Crash',
        mentionedMobiles: ['13800001111', '@all'],
        mentionedUserids: [],
        at: 42,
      },
    ]);
  });

  it('should refuse an unknown key, a missing one and a removed robot with 93000', async () => {
    const fake = await start();
    await expectErrcode(post(fake, markdown('x'), 'no-such-key'), 93000, /^invalid webhook url/);
    await expectErrcode(post(fake, markdown('x'), ''), 93000, /^invalid webhook url/);
    const key = fake.key;
    fake.removeRobot(key);
    await expectErrcode(post(fake, markdown('x'), key), 93000, /^invalid webhook url/);
    expect(fake.posts).toEqual([]);
  });

  it('should refuse other methods, message types, no content and unreadable JSON', async () => {
    const fake = await start();
    await expectErrcode(post(fake, undefined, fake.key, 'GET'), 43002, /^require POST method/);
    await expectErrcode(
      post(fake, { msgtype: 'video', video: { content: 'x' } }),
      40008,
      /^invalid message type/,
    );
    await expectErrcode(post(fake, { text: { content: 'x' } }), 40008, /^invalid message type/);
    await expectErrcode(post(fake, markdown('')), 44004, /empty content/);
    await expectErrcode(post(fake, { msgtype: 'text', text: {} }), 44004, /empty content/);
    await expectErrcode(post(fake, '{"msgtype":'), 44004, /wrong json format/);
    expect(fake.posts).toEqual([]);
  });

  it('should hold text to 2,048 and markdown to 4,096 bytes of UTF-8 (40058)', async () => {
    const fake = await start();
    // 粤 is 3 bytes in UTF-8: 682 of them and 2 ASCII letters are 2,048 bytes.
    const text2048 = `${'粤'.repeat(682)}ab`;
    expect((await post(fake, text(text2048))).answer.errcode).toBe(0);
    await expectErrcode(
      post(fake, text(`${text2048}c`)),
      40058,
      /^text\.content exceed max length 2048/,
    );
    const markdown4096 = `${'粤'.repeat(1365)}a`;
    expect((await post(fake, markdown(markdown4096))).answer.errcode).toBe(0);
    await expectErrcode(
      post(fake, markdown(`${markdown4096}b`)),
      40058,
      /^markdown\.content exceed max length 4096/,
    );
    expect(fake.posts).toHaveLength(2);
  });

  it('should refuse a robot’s 21st post in 60 seconds with 45009, and take it a minute on', async () => {
    let now = 0;
    const fake = await start({ now: () => now });
    const other = fake.addRobot();
    for (let i = 0; i < 20; i++) {
      expect((await post(fake, markdown(`post ${i}`))).answer.errcode).toBe(0);
      now += 2_000;
    }
    await expectErrcode(post(fake, markdown('one too many')), 45009, /^api freq out of limit/);
    expect((await post(fake, markdown('another robot'), other)).answer.errcode).toBe(0);
    now = 60_000; // the first post, at 0, has left the minute
    expect((await post(fake, markdown('again'))).answer.errcode).toBe(0);
    expect(fake.posts).toHaveLength(22);
  });

  it('should fail the next post on request, and lose the next answer', async () => {
    const fake = await start();
    fake.failNext(-1);
    await expectErrcode(post(fake, markdown('x')), -1, /^system busy/);
    fake.loseNextAnswer('reset');
    await expect(post(fake, markdown('y'))).rejects.toThrow();
    expect(fake.posts.map((p) => p.content)).toEqual(['y']);
  });
});
