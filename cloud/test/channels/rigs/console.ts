import { pino } from 'pino';
import { ConsoleAlertChannel } from '../../../src/channels/console-channel.js';
import type { Adapter } from './rig.js';

/** The console channel; its far side is the log it writes to. */
export const adapter: Adapter = {
  name: 'console',
  failures: ['VENDOR_UNAVAILABLE'],
  losesAnswers: false,
  async rig(templates) {
    const lines: Record<string, unknown>[] = [];
    let failing = false;
    const stream = {
      write(line: string) {
        if (failing) {
          failing = false;
          throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        }
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    };
    const channel = new ConsoleAlertChannel({
      logger: pino({ level: 'info' }, stream),
      templates,
    });
    return {
      channel,
      recipient: { kind: 'phone', e164: '+8613800138000' },
      pushes: async () =>
        lines
          .filter((l) => l.msg === 'alert push')
          .map((l) => ({
            idempotencyKey: l.idempotencyKey as string,
            templateId: l.templateId as string,
            parameters: l.parameters as Record<string, string>,
          })),
      failNext() {
        failing = true;
      },
    };
  },
};
