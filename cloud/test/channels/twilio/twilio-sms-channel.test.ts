import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertMessage, notificationKey } from '../../../src/channels/alert-message.js';
import { MemoryAttemptStore } from '../../../src/channels/twilio/attempt-store.js';
import { FakeTwilioServer } from '../../../src/channels/twilio/fake-twilio-server.js';
import {
  TwilioSmsChannel,
  type TwilioSmsChannelOptions,
} from '../../../src/channels/twilio/twilio-sms-channel.js';

const OWN = '+15005550006';
const SERVICE = `MG${'c'.repeat(32)}`;
const collision = { id: 'collision_raised', parameters: ['plate', 'time', 'place'] };
const texts = { collision_raised: 'Fleetline: crash of {plate} at {place}, {time}.' };
const to = '+447700900123';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setUp(o: Partial<TwilioSmsChannelOptions> = {}, fakeOptions = {}) {
  const fake = await FakeTwilioServer.start({ messagingServiceSids: [SERVICE], ...fakeOptions });
  open.push(fake);
  const channel = new TwilioSmsChannel({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: OWN,
    templates: [collision],
    texts,
    baseUrl: fake.url,
    timeoutMs: 1_000,
    ...o,
  });
  open.push(channel);
  return { fake, channel };
}

let alerts = 0;
function message(overrides: Partial<AlertMessage> = {}): AlertMessage {
  const alertId = `alert-${++alerts}`;
  return {
    idempotencyKey: notificationKey(alertId, 'person-1', 'twilio-sms'),
    alertId,
    recipient: { kind: 'phone', e164: to },
    templateId: collision.id,
    parameters: { plate: '粤B12345', time: '2026-12-05 08:14', place: '深南大道' },
    ...overrides,
  };
}

describe('TwilioSmsChannel', () => {
  it('should send the template’s text to the number, and put the key in the StatusCallback', async () => {
    const { fake, channel } = await setUp({
      statusCallback: 'https://fleetline.example/twilio?x=1',
    });
    const m = message();
    const result = await channel.send(m);
    const [sent] = fake.messages;
    expect(result).toEqual({ outcome: 'delivered', messageId: sent?.sid, duplicate: false });
    expect(sent).toMatchObject({
      to,
      from: OWN,
      body: 'Fleetline: crash of 粤B12345 at 深南大道, 2026-12-05 08:14.',
      statusCallback: `https://fleetline.example/twilio?x=1&key=${m.idempotencyKey}`,
    });
  });

  it('should send through a Messaging Service when that is the sender', async () => {
    const { fake, channel } = await setUp({ from: undefined, messagingServiceSid: SERVICE });
    expect((await channel.send(message())).outcome).toBe('delivered');
    expect(fake.messages[0]).toMatchObject({ from: null, messagingServiceSid: SERVICE });
  });

  it('should map the fake’s refusals: wrong token, STOP, overlong text', async () => {
    const wrong = await setUp({ authToken: 'not-the-token' });
    expect(await wrong.channel.send(message())).toMatchObject({
      outcome: 'failed',
      code: 'CREDENTIALS_REJECTED',
      retryable: false,
      vendorCode: '20003',
      vendorMessage: 'Authenticate',
    });
    const { fake, channel } = await setUp({
      texts: { collision_raised: `${'!'.repeat(1600)}{plate}` },
    });
    expect(await channel.send(message())).toMatchObject({
      code: 'TEMPLATE_REJECTED',
      vendorCode: '21617',
    });
    fake.optOut(to);
    const stop = await setUp({}, { optedOut: [to] });
    expect(await stop.channel.send(message())).toMatchObject({
      code: 'RECIPIENT_OPTED_OUT',
      vendorCode: '21610',
    });
  });

  it('should find a message whose answer was lost instead of sending it again', async () => {
    const attempts = new MemoryAttemptStore();
    const { fake, channel } = await setUp({ attempts });
    const m = message();
    fake.loseNextAnswer('hang');
    expect(await channel.send(m)).toMatchObject({ outcome: 'failed', code: 'TIMED_OUT' });
    expect(attempts.size).toBe(1);
    const again = await channel.send(m);
    expect(again).toEqual({
      outcome: 'delivered',
      messageId: fake.messages[0]?.sid,
      duplicate: true,
    });
    expect(fake.messages).toHaveLength(1);
    expect(attempts.size).toBe(0);
    expect(await channel.send(m)).toEqual(again);
  });

  it('should look first after a connection dropped once the request went out', async () => {
    const { fake, channel } = await setUp();
    const m = message();
    fake.loseNextAnswer('reset');
    const first = await channel.send(m);
    expect(first).toMatchObject({ outcome: 'failed', code: 'VENDOR_UNAVAILABLE' });
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(fake.messages).toHaveLength(1);
  });

  it('should send after a lost answer when Twilio has no such message, and only once', async () => {
    let clock = Date.UTC(2026, 11, 5, 8, 14, 0);
    const now = () => clock;
    const { fake, channel } = await setUp({ timeoutMs: 300, now }, { now });
    const m = message();
    // A message to the same number with the same text, sent a minute before this attempt.
    expect((await channel.send(message({ parameters: m.parameters }))).outcome).toBe('delivered');
    clock += 60_000;
    fake.failNext(20503);
    fake.delayAnswers(1_000);
    expect(await channel.send(m)).toMatchObject({ code: 'TIMED_OUT' });
    fake.delayAnswers(0);
    const result = await channel.send(m);
    expect(result).toMatchObject({ outcome: 'delivered', duplicate: false });
    expect(fake.messages).toHaveLength(2);
    expect(fake.messages[1]?.sid).toBe((result as { messageId: string }).messageId);
  });

  it('should fail without sending when the list cannot be read, and look again next time', async () => {
    const { fake, channel } = await setUp();
    const m = message();
    fake.loseNextAnswer('hang');
    await channel.send(m);
    fake.failNext(20503, 'list');
    expect(await channel.send(m)).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      vendorCode: '20503',
    });
    expect(fake.messages).toHaveLength(1);
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(fake.messages).toHaveLength(1);
  });

  it('should refuse options it cannot work with, naming what is wrong', async () => {
    const base: TwilioSmsChannelOptions = {
      accountSid: `AC${'a'.repeat(32)}`,
      authToken: 't',
      from: OWN,
      templates: [collision],
      texts,
    };
    expect(() => new TwilioSmsChannel(base)).not.toThrow();
    expect(() => new TwilioSmsChannel({ ...base, accountSid: 'AC1' })).toThrow(
      /accountSid must be AC/,
    );
    expect(() => new TwilioSmsChannel({ ...base, from: undefined })).toThrow(/give one sender/);
    expect(() => new TwilioSmsChannel({ ...base, messagingServiceSid: SERVICE })).toThrow(
      /give one sender/,
    );
    expect(() => new TwilioSmsChannel({ ...base, authToken: '' })).toThrow(/authToken/);
    expect(() => new TwilioSmsChannel({ ...base, statusCallback: 'not a url' })).toThrow(
      /statusCallback/,
    );
    expect(() => new TwilioSmsChannel({ ...base, texts: {} })).toThrow(/has no text/);
  });

  it('should keep the auth token out of logs and out of the channel’s printed form', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const { fake, channel } = await setUp({ logger });
    fake.loseNextAnswer('hang');
    const m = message();
    await channel.send(m);
    await channel.send(m);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).toContain(m.idempotencyKey);
    for (const printed of [
      lines.join('\n'),
      inspect(channel, { depth: 5 }),
      JSON.stringify(channel),
    ]) {
      expect(printed).not.toContain(fake.authToken);
      expect(printed).not.toContain(
        Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64'),
      );
    }
  });
});
