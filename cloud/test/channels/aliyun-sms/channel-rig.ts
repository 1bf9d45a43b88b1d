import type { AlertMessage } from '../../../src/channels/alert-message.js';
import {
  AliyunSmsChannel,
  type AliyunSmsChannelOptions,
} from '../../../src/channels/aliyun-sms/aliyun-sms-channel.js';
import {
  type AttemptedSends,
  InMemoryAttemptedSends,
} from '../../../src/channels/aliyun-sms/attempted-sends.js';
import { FakeAliyunSmsServer } from '../../../src/channels/aliyun-sms/fake/fake-aliyun-sms-server.js';
import { KEY_ID, KEY_SECRET } from './signed-call.js';

/* An Aliyun SMS channel against the fake dysmsapi, for the channel's own tests. */

export const template = { id: 'SMS_71390007', parameters: ['plate', 'time', 'place'] };
export const values = { plate: '粤B12345', time: '2026-12-05 08:14', place: '深南大道 1001 号' };
/** 00:30 on 5 December in Shanghai, still the 4th in UTC. */
export const T0 = Date.parse('2026-12-04T16:30:00Z');

export const closing: (() => Promise<void>)[] = [];
/** Closes what the tests opened: `afterEach(closeAll)`. */
export async function closeAll(): Promise<void> {
  for (const close of closing.splice(0)) await close();
}

let keys = 0;
export function message(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    idempotencyKey: `key-${++keys}`,
    alertId: `alert-${keys}`,
    recipient: { kind: 'phone', e164: '+8613800138000' },
    templateId: template.id,
    parameters: values,
    ...overrides,
  };
}

export interface Rig {
  fake: FakeAliyunSmsServer;
  channel: AliyunSmsChannel;
  attempts: AttemptedSends;
}

export async function open(
  o: Partial<AliyunSmsChannelOptions> & { fakeNow?: () => number; limited?: boolean } = {},
): Promise<Rig> {
  const fake = await FakeAliyunSmsServer.start({
    accessKeys: { [KEY_ID]: KEY_SECRET },
    signNames: ['Fleetline'],
    templates: [{ code: template.id, variables: template.parameters }],
    now: o.fakeNow ?? (() => T0),
    ...(o.limited ? { perNumberLimits: { perMinute: 1 } } : {}),
  });
  const attempts = o.attemptedSends ?? new InMemoryAttemptedSends();
  const channel = new AliyunSmsChannel({
    accessKeyId: KEY_ID,
    accessKeySecret: KEY_SECRET,
    signName: 'Fleetline',
    templates: [template],
    baseUrl: fake.url,
    timeoutMs: 1_000,
    now: () => T0,
    ...o,
    attemptedSends: attempts,
  });
  closing.push(async () => {
    await channel.close();
    await fake.close();
  });
  return { fake, channel, attempts };
}

export const queriesOf = (fake: FakeAliyunSmsServer) =>
  fake.calls().filter((c) => c.Action === 'QuerySendDetails');
