import type { AlertChannel, DeliveryFailureCode } from '../../../src/channels/alert-channel.js';
import { AliyunSmsChannel } from '../../../src/channels/aliyun-sms/aliyun-sms-channel.js';
import { FakeAliyunSmsServer } from '../../../src/channels/aliyun-sms/fake/fake-aliyun-sms-server.js';
import type { Adapter } from './rig.js';

/** The Aliyun code the fake answers for each failure the contract asks for. */
const vendorCodes: Readonly<Record<DeliveryFailureCode, string>> = {
  THROTTLED: 'isv.BUSINESS_LIMIT_CONTROL',
  VENDOR_UNAVAILABLE: 'isp.SYSTEM_ERROR',
  TIMED_OUT: 'isp.SYSTEM_ERROR', // not asked for: a lost answer is loseNextAnswer
  BAD_RECIPIENT: 'isv.MOBILE_NUMBER_ILLEGAL',
  RECIPIENT_OPTED_OUT: 'isv.CUSTOMER_REFUSED',
  TEMPLATE_REJECTED: 'isv.TEMPLATE_MISSING_PARAMETERS',
  CREDENTIALS_REJECTED: 'SignatureDoesNotMatch',
};

/** Aliyun SMS against the fake dysmsapi, which the channel's close() shuts too. */
export const adapter: Adapter = {
  name: 'aliyun-sms',
  failures: [
    'THROTTLED',
    'VENDOR_UNAVAILABLE',
    'BAD_RECIPIENT',
    'RECIPIENT_OPTED_OUT',
    'TEMPLATE_REJECTED',
    'CREDENTIALS_REJECTED',
  ],
  losesAnswers: true,
  async rig(templates) {
    const server = await FakeAliyunSmsServer.start({
      accessKeys: { 'rig-key-id': 'rig-key-secret' },
      signNames: ['Fleetline'],
      templates: templates.map((t) => ({ code: t.id, variables: t.parameters })),
    });
    const aliyun = new AliyunSmsChannel({
      accessKeyId: 'rig-key-id',
      accessKeySecret: 'rig-key-secret',
      signName: 'Fleetline',
      templates,
      baseUrl: server.url,
      // Short, so a lost answer times out quickly; long enough for a busy 2-core machine.
      timeoutMs: 1_000,
    });
    const channel: AlertChannel = {
      kind: aliyun.kind,
      recipientKinds: aliyun.recipientKinds,
      templates: aliyun.templates,
      send: (m) => aliyun.send(m),
      async close() {
        await aliyun.close();
        await server.close();
      },
    };
    return {
      channel,
      recipient: { kind: 'phone', e164: '+8613800138000' },
      pushes: async () =>
        server.sent().map((r) => ({
          idempotencyKey: r.outId,
          templateId: r.templateCode,
          parameters: { ...r.templateParam },
        })),
      failNext(code) {
        server.failNext(vendorCodes[code]);
      },
      loseNextAnswer() {
        server.loseNextAnswer();
      },
    };
  },
};
