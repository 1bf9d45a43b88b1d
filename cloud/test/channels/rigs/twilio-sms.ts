import type { DeliveryFailureCode } from '../../../src/channels/alert-channel.js';
import type { TemplateTexts } from '../../../src/channels/template-text.js';
import type { TwilioErrorCode } from '../../../src/channels/twilio/fake-twilio-rules.js';
import { FakeTwilioServer } from '../../../src/channels/twilio/fake-twilio-server.js';
import { TwilioSmsChannel } from '../../../src/channels/twilio/twilio-sms-channel.js';
import type { Adapter, Push } from './rig.js';

/** Each failure the contract asks for, as the Twilio error that produces it. */
const twilioErrorFor: Partial<Record<DeliveryFailureCode, TwilioErrorCode>> = {
  THROTTLED: 20429,
  RECIPIENT_OPTED_OUT: 21610,
  BAD_RECIPIENT: 21211,
  CREDENTIALS_REJECTED: 20003,
  TEMPLATE_REJECTED: 21617,
  VENDOR_UNAVAILABLE: 20503,
};

const STATUS_CALLBACK = 'https://fleetline.example/twilio/status';

/**
 * Twilio SMS against the fake Twilio. The message body carries no key, so the rig's texts are
 * made to be read back (`[template]` then `name=value` lines), and the key comes back from the
 * StatusCallback URL the adapter puts it in.
 */
export const adapter: Adapter = {
  name: 'twilio-sms',
  failures: Object.keys(twilioErrorFor) as DeliveryFailureCode[],
  losesAnswers: true,
  async rig(templates) {
    const fake = await FakeTwilioServer.start();
    const texts: TemplateTexts = Object.fromEntries(
      templates.map((t) => [
        t.id,
        [`[${t.id}]`, ...t.parameters.map((p) => `${p}={${p}}`)].join('\n'),
      ]),
    );
    const channel = new TwilioSmsChannel({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: '+15005550006',
      templates,
      texts,
      statusCallback: STATUS_CALLBACK,
      baseUrl: fake.url,
      // Short, so a lost answer is a quick timeout; long enough for a busy machine.
      timeoutMs: 1_000,
    });
    const close = channel.close.bind(channel);
    channel.close = async () => {
      await close();
      await fake.close();
    };
    return {
      channel,
      recipient: { kind: 'phone', e164: '+447700900123' },
      pushes: async () => fake.messages.map((m) => readBack(m.body, m.statusCallback)),
      failNext(code) {
        const twilioCode = twilioErrorFor[code];
        if (twilioCode === undefined) throw new Error(`the twilio rig cannot produce ${code}`);
        fake.failNext(twilioCode);
      },
      loseNextAnswer() {
        fake.loseNextAnswer('hang');
      },
    };
  },
};

function readBack(body: string, statusCallback: string | null): Push {
  const [head = '', ...lines] = body.split('\n');
  const parameters: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    parameters[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    idempotencyKey: new URL(statusCallback ?? STATUS_CALLBACK).searchParams.get('key') ?? '',
    templateId: head.replace(/^\[|\]$/g, ''),
    parameters,
  };
}
