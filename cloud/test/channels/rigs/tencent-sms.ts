import type { DeliveryFailureCode } from '../../../src/channels/alert-channel.js';
import type { AlertTemplate } from '../../../src/channels/alert-message.js';
import { FakeTencentSmsServer } from '../../../src/channels/tencent-sms/fake/fake-tencent-sms-server.js';
import {
  TencentSmsAlertChannel,
  type TencentSmsChannelOptions,
} from '../../../src/channels/tencent-sms/tencent-sms-channel.js';
import type { Adapter, Push } from './rig.js';

/** The Tencent code the fake answers for each failure the contract asks of it. */
const vendorCodes: Readonly<Partial<Record<DeliveryFailureCode, string>>> = {
  THROTTLED: 'LimitExceeded.PhoneNumberThirtySecondLimit',
  VENDOR_UNAVAILABLE: 'InternalError.Timeout',
  BAD_RECIPIENT: 'InvalidParameterValue.IncorrectPhoneNumber',
  RECIPIENT_OPTED_OUT: 'FailedOperation.PhoneNumberInBlacklist',
  TEMPLATE_REJECTED: 'FailedOperation.TemplateIncorrectOrUnapproved',
  CREDENTIALS_REJECTED: 'AuthFailure.SecretIdNotFound',
};

/** The channel, closing its fake server with it (the contract closes only channels). */
class RiggedChannel extends TencentSmsAlertChannel {
  constructor(
    o: TencentSmsChannelOptions,
    private readonly fake: FakeTencentSmsServer,
  ) {
    super(o);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.fake.close();
  }
}

/** Tencent Cloud SMS; its far side is the fake Tencent server. */
export const adapter: Adapter = {
  name: 'tencent-sms',
  failures: Object.keys(vendorCodes) as DeliveryFailureCode[],
  losesAnswers: true,
  async rig(templates: readonly AlertTemplate[]) {
    const account = {
      secretId: 'AKIDfleetlineRig0000000000000000000',
      secretKey: 'rig-secret-key',
    };
    const fake = await new FakeTencentSmsServer({
      accounts: [account],
      apps: [{ smsSdkAppId: '1400006666', secretId: account.secretId }],
      signNames: ['Fleetline'],
      templates,
    }).listen();
    const channel = new RiggedChannel(
      {
        ...account,
        smsSdkAppId: '1400006666',
        signName: 'Fleetline',
        region: 'ap-guangzhou',
        templates,
        baseUrl: fake.url,
        // Short, so that a lost answer times out quickly; long enough for a cold start.
        timeoutMs: 1_000,
      },
      fake,
    );
    return {
      channel,
      recipient: { kind: 'phone', e164: '+8613800138000' },
      pushes: async () => fake.sends.map((r) => pushOf(r, templates)),
      failNext(code) {
        const vendorCode = vendorCodes[code];
        if (!vendorCode) throw new Error(`the tencent-sms rig cannot fail with ${code}`);
        fake.failNextSend(vendorCode);
      },
      loseNextAnswer() {
        fake.loseNextAnswer();
      },
    };
  },
};

function pushOf(
  r: FakeTencentSmsServer['sends'][number],
  templates: readonly AlertTemplate[],
): Push {
  const names = templates.find((t) => t.id === r.templateId)?.parameters ?? [];
  return {
    idempotencyKey: r.sessionContext,
    templateId: r.templateId,
    parameters: Object.fromEntries(names.map((name, i) => [name, r.templateParams[i] ?? ''])),
  };
}
