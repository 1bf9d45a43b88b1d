import type { AlertChannel, DeliveryFailureCode } from '../../../src/channels/alert-channel.js';
import { FakeWeChatServer } from '../../../src/channels/wechat/fake/fake-wechat-server.js';
import { WeChatErrcodes } from '../../../src/channels/wechat/wechat-api.js';
import { WeChatClient } from '../../../src/channels/wechat/wechat-client.js';
import { WeChatTemplateChannel } from '../../../src/channels/wechat/wechat-template-channel.js';
import type { Adapter } from './rig.js';

/** A follower's openid: 28 characters, as WeChat's. */
const follower = 'oFleetlineRig_Follower_00001';

/**
 * How the fake answers each failure. CREDENTIALS_REJECTED is a token refused twice: once,
 * and again right after the client fetched the account's current token.
 */
const vendorFailures: Record<string, readonly number[]> = {
  VENDOR_UNAVAILABLE: [WeChatErrcodes.systemBusy],
  THROTTLED: [WeChatErrcodes.minuteQuota],
  BAD_RECIPIENT: [WeChatErrcodes.invalidOpenid],
  RECIPIENT_OPTED_OUT: [WeChatErrcodes.requireSubscribe],
  TEMPLATE_REJECTED: [WeChatErrcodes.argumentInvalid],
  CREDENTIALS_REJECTED: [WeChatErrcodes.invalidCredential, WeChatErrcodes.invalidCredential],
};

/** WeChat template messages, against the fake WeChat API server. */
export const adapter: Adapter = {
  name: 'wechat-template',
  failures: Object.keys(vendorFailures) as DeliveryFailureCode[],
  losesAnswers: true,
  async rig(templates) {
    const fake = await FakeWeChatServer.start({ followers: [follower], templates });
    const client = new WeChatClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
      // Short, so a lost answer times out quickly; long enough for a busy test machine.
      timeoutMs: 1_500,
    });
    const wechat = new WeChatTemplateChannel({ client, templates });
    // The channel as the contract sees it, closing the fake with it.
    const channel: AlertChannel = {
      kind: wechat.kind,
      recipientKinds: wechat.recipientKinds,
      templates: wechat.templates,
      send: (m) => wechat.send(m),
      async close() {
        await wechat.close();
        await fake.close();
      },
    };
    return {
      channel,
      recipient: { kind: 'wechat', openid: follower },
      pushes: async () =>
        fake.pushes().map((p) => ({
          idempotencyKey: p.clientMsgId ?? '',
          templateId: p.templateId,
          parameters: { ...p.data },
        })),
      failNext(code) {
        for (const errcode of vendorFailures[code] ?? []) fake.failNext(errcode);
      },
      loseNextAnswer() {
        fake.loseNextAnswer('hang');
      },
    };
  },
};
