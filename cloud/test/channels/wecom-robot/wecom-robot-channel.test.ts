import { afterEach, describe, expect, it } from 'vitest';
import { type AlertMessage, notificationKey } from '../../../src/channels/alert-message.js';
import { FakeRobotServer } from '../../../src/channels/wecom-robot/fake-robot-server.js';
import {
  HELD_BACK,
  WecomRobotChannel,
  type WecomRobotChannelOptions,
} from '../../../src/channels/wecom-robot/wecom-robot-channel.js';

const collision = { id: 'collision_raised', parameters: ['plate', 'time', 'place'] };
const texts = { collision_raised: '## Crash\n**{plate}** at {place}, {time}' };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setUp(o: Partial<WecomRobotChannelOptions> = {}, now?: () => number) {
  const fake = await FakeRobotServer.start(now ? { now } : {});
  open.push(fake);
  const channel = new WecomRobotChannel({
    templates: [collision],
    texts,
    baseUrl: fake.url,
    timeoutMs: 1_000,
    ...(now ? { now } : {}),
    ...o,
  });
  open.push(channel);
  return { fake, channel };
}

let alerts = 0;
function message(key: string, overrides: Partial<AlertMessage> = {}): AlertMessage {
  const alertId = `alert-${++alerts}`;
  return {
    idempotencyKey: notificationKey(alertId, 'group-1', 'wecom-robot'),
    alertId,
    recipient: { kind: 'wecom-group', key },
    templateId: collision.id,
    parameters: { plate: '粤B12345', time: '08:14', place: '深南大道' },
    ...overrides,
  };
}

describe('WecomRobotChannel', () => {
  it('should post the template’s markdown with a reference line naming the notification', async () => {
    const { fake, channel } = await setUp();
    const m = message(fake.key);
    const result = await channel.send(m);
    expect(result).toEqual({
      outcome: 'delivered',
      messageId: expect.any(String),
      duplicate: false,
    });
    expect(fake.posts).toMatchObject([
      {
        msgtype: 'markdown',
        content: `## Crash\n**粤B12345** at 深南大道, 08:14\n<font color="comment">ref ${m.idempotencyKey}</font>`,
      },
    ]);
  });

  it('should post text to @-mention members by mobile, the markup flattened', async () => {
    const { fake, channel } = await setUp();
    const recipient = {
      kind: 'wecom-group' as const,
      key: fake.key,
      mentionMobiles: ['13800001111'],
    };
    const m = message(fake.key, { recipient });
    await channel.send(m);
    expect(fake.posts).toMatchObject([
      {
        msgtype: 'text',
        content: `Crash\n粤B12345 at 深南大道, 08:14\nref ${m.idempotencyKey}`,
        mentionedMobiles: ['13800001111'],
      },
    ]);
  });

  it('should hold a robot’s 21st post in a minute back itself, and post again a minute on', async () => {
    let clock = 0;
    const { fake, channel } = await setUp({}, () => clock);
    for (let i = 0; i < 20; i++) {
      expect((await channel.send(message(fake.key))).outcome).toBe('delivered');
      clock += 1_000;
    }
    const held = await channel.send(message(fake.key));
    expect(held).toEqual({
      outcome: 'failed',
      code: 'THROTTLED',
      retryable: true,
      retryAfterMs: 40_000,
      vendorCode: HELD_BACK,
      vendorMessage: expect.stringMatching(/^held back: this robot posted 20 times/),
    });
    expect(fake.posts).toHaveLength(20);
    clock = 60_000;
    expect((await channel.send(message(fake.key))).outcome).toBe('delivered');
  });

  it('should answer 45009 THROTTLED for a minute, and hold the robot back meanwhile', async () => {
    let clock = 0;
    const { fake, channel } = await setUp({}, () => clock);
    fake.failNext(45009);
    expect(await channel.send(message(fake.key))).toMatchObject({
      code: 'THROTTLED',
      retryAfterMs: 60_000,
      vendorCode: '45009',
      vendorMessage: expect.stringMatching(/^api freq out of limit/),
    });
    expect(await channel.send(message(fake.key))).toMatchObject({ vendorCode: HELD_BACK });
    clock += 60_000;
    expect((await channel.send(message(fake.key))).outcome).toBe('delivered');
    expect(fake.posts).toHaveLength(1);
  });

  it('should answer BAD_RECIPIENT when the group’s robot is gone (93000)', async () => {
    const { fake, channel } = await setUp();
    const key = fake.key;
    fake.removeRobot(key);
    expect(await channel.send(message(key))).toMatchObject({
      code: 'BAD_RECIPIENT',
      retryable: false,
      vendorCode: '93000',
    });
  });

  it('should take a post whose answer was lost as posted, by default, and not post it again', async () => {
    const { fake, channel } = await setUp();
    const m = message(fake.key);
    fake.loseNextAnswer('reset');
    expect(await channel.send(m)).toMatchObject({ outcome: 'failed', code: 'VENDOR_UNAVAILABLE' });
    expect(await channel.send(m)).toEqual({
      outcome: 'delivered',
      messageId: expect.any(String),
      duplicate: true,
    });
    expect(fake.posts).toHaveLength(1);
  });

  it('should post again, marked as a repeat with the same reference, when told to', async () => {
    const { fake, channel } = await setUp({ afterLostAnswer: 'post-again-marked' });
    const m = message(fake.key);
    fake.loseNextAnswer('hang');
    expect(await channel.send(m)).toMatchObject({ code: 'TIMED_OUT' });
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: false });
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    const [first, again] = fake.posts.map((p) => p.content);
    expect(fake.posts).toHaveLength(2);
    expect(again).toBe(`**[Repeat — may already be above]**\n${first}`);
    expect(first).toMatch(new RegExp(`ref ${m.idempotencyKey}</font>$`));
  });

  it('should post a key again after a refusal that surely posted nothing', async () => {
    const { fake, channel } = await setUp();
    const m = message(fake.key);
    fake.failNext(-1);
    expect(await channel.send(m)).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendorCode: '-1' });
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: false });
    expect(fake.posts).toHaveLength(1);
  });

  it('should refuse options and texts it cannot work with', () => {
    const base = { templates: [collision], texts };
    expect(() => new WecomRobotChannel(base)).not.toThrow();
    expect(
      () => new WecomRobotChannel({ ...base, texts: { collision_raised: '{speed}' } }),
    ).toThrow(/names \{speed\}/);
    expect(() => new WecomRobotChannel({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new WecomRobotChannel({ ...base, messagesPerMinute: 2.5 })).toThrow(
      /messagesPerMinute/,
    );
  });
});
