import type { DeliveryFailureCode } from '../../../src/channels/alert-channel.js';
import type { TemplateTexts } from '../../../src/channels/template-text.js';
import type { RobotErrcode } from '../../../src/channels/wecom-robot/fake-robot-rules.js';
import { FakeRobotServer } from '../../../src/channels/wecom-robot/fake-robot-server.js';
import { WecomRobotChannel } from '../../../src/channels/wecom-robot/wecom-robot-channel.js';
import type { Adapter, Push } from './rig.js';

/**
 * Each failure the contract asks for, as the robot's errcode that produces it. THROTTLED comes
 * last: after a 45009 the adapter holds the robot's posts back for a minute, as it should.
 */
const errcodeFor: Partial<Record<DeliveryFailureCode, RobotErrcode>> = {
  VENDOR_UNAVAILABLE: -1,
  BAD_RECIPIENT: 93000,
  TEMPLATE_REJECTED: 40058,
  THROTTLED: 45009,
};

/**
 * The WeCom group robot against the fake robot. The rig's texts are made to be read back
 * (`# template`, then `name: value` lines); the key comes back from the reference line the
 * adapter ends each post with.
 */
export const adapter: Adapter = {
  name: 'wecom-robot',
  failures: Object.keys(errcodeFor) as DeliveryFailureCode[],
  losesAnswers: true,
  async rig(templates) {
    const fake = await FakeRobotServer.start();
    const texts: TemplateTexts = Object.fromEntries(
      templates.map((t) => [
        t.id,
        [`# ${t.id}`, ...t.parameters.map((p) => `${p}: {${p}}`)].join('\n'),
      ]),
    );
    const channel = new WecomRobotChannel({
      templates,
      texts,
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
      recipient: { kind: 'wecom-group', key: fake.key },
      pushes: async () => fake.posts.map((p) => readBack(p.content)),
      failNext(code) {
        const errcode = errcodeFor[code];
        if (errcode === undefined) throw new Error(`the wecom-robot rig cannot produce ${code}`);
        fake.failNext(errcode);
      },
      loseNextAnswer() {
        fake.loseNextAnswer('hang');
      },
    };
  },
};

function readBack(content: string): Push {
  const lines = content.split('\n');
  const head = lines.shift() ?? '';
  const ref = /^<font color="comment">ref (.*)<\/font>$/.exec(lines.pop() ?? '')?.[1] ?? '';
  const parameters: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(': ');
    parameters[line.slice(0, colon)] = line.slice(colon + 2);
  }
  return { idempotencyKey: ref, templateId: head.replace(/^# /, ''), parameters };
}
