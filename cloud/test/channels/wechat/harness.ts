import type { AlertMessage, AlertTemplate } from '../../../src/channels/alert-message.js';
import { notificationKey } from '../../../src/channels/alert-message.js';
import {
  FakeWeChatServer,
  type FakeWeChatServerOptions,
} from '../../../src/channels/wechat/fake/fake-wechat-server.js';
import {
  WeChatClient,
  type WeChatClientOptions,
} from '../../../src/channels/wechat/wechat-client.js';
import { WeChatTemplateChannel } from '../../../src/channels/wechat/wechat-template-channel.js';

/** What the WeChat tests share: a fake account, a clock they move, a channel against it. */

export const collision: AlertTemplate = {
  id: 'collision_raised',
  parameters: ['plate', 'time', 'place'],
};
export const follower = 'oFleetlineTest_Follower_0001';

/** A clock tests move by hand: 2026-12-05 08:14 in Beijing. */
export class TestClock {
  ms = Date.parse('2026-12-05T08:14:00+08:00');
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface WeChatRig {
  fake: FakeWeChatServer;
  client: WeChatClient;
  channel: WeChatTemplateChannel;
  clock: TestClock;
  close(): Promise<void>;
}

const open: WeChatRig[] = [];

/** A fake account and a channel to it; closed by closeRigs. */
export async function openRig(
  fakeOptions: FakeWeChatServerOptions = {},
  clientOptions: Partial<WeChatClientOptions> = {},
): Promise<WeChatRig> {
  const clock = new TestClock();
  const fake = await FakeWeChatServer.start({
    followers: [follower],
    templates: [collision],
    now: clock.now,
    ...fakeOptions,
  });
  const client = new WeChatClient({
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.url,
    timeoutMs: 2_000,
    now: clock.now,
    ...clientOptions,
  });
  const channel = new WeChatTemplateChannel({ client, templates: [collision] });
  const rig = {
    fake,
    client,
    channel,
    clock,
    async close() {
      await channel.close();
      await fake.close();
    },
  };
  open.push(rig);
  return rig;
}

export async function closeRigs(): Promise<void> {
  for (const rig of open.splice(0)) await rig.close();
}

let alerts = 0;
/** A collision message to the follower, under a key of its own. */
export function collisionMessage(overrides: Partial<AlertMessage> = {}): AlertMessage {
  const alertId = `alert-${++alerts}`;
  return {
    idempotencyKey: notificationKey(alertId, 'person-1', 'wechat-template'),
    alertId,
    recipient: { kind: 'wechat', openid: follower },
    templateId: collision.id,
    parameters: { plate: '粤B12345', time: '2026-12-05 08:14', place: '深南大道 1001 号' },
    link: 'https://fleetline.example/alerts/1',
    ...overrides,
  };
}

/** POSTs `body` (an object as JSON, or text as is) to the fake; its status and parsed body. */
export async function post(
  fake: FakeWeChatServer,
  path: string,
  body: unknown,
  method = 'POST',
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    ...(method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

/** A token of the fake's account, fetched as the client does. */
export async function tokenOf(fake: FakeWeChatServer): Promise<string> {
  const { json } = await post(fake, '/cgi-bin/stable_token', {
    grant_type: 'client_credential',
    appid: fake.appId,
    secret: fake.appSecret,
  });
  return json.access_token as string;
}
