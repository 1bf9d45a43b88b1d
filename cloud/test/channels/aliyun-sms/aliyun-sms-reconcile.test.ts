import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { foundMessageId } from '../../../src/channels/aliyun-sms/earlier-push.js';
import { AlertChannelClosedError } from '../../../src/errors.js';
import { closeAll, message, open, queriesOf, T0 } from './channel-rig.js';
import { KEY_SECRET } from './signed-call.js';

afterEach(closeAll);

describe('AliyunSmsChannel after an unanswered push', () => {
  it('should answer TIMED_OUT, then find the push by its OutId on the Shanghai date instead of pushing again', async () => {
    const { fake, channel, attempts } = await open();
    const m = message();
    fake.loseNextAnswer();
    expect(await channel.send(m)).toMatchObject({
      outcome: 'failed',
      code: 'TIMED_OUT',
      retryable: true,
      vendorCode: 'TimeoutError',
    });
    expect(await attempts.get(m.idempotencyKey)).toEqual({
      phoneNumber: '13800138000',
      sendDates: ['20261205'],
    });
    expect(await channel.send(m)).toEqual({
      outcome: 'delivered',
      messageId: foundMessageId(m.idempotencyKey),
      duplicate: true,
    });
    expect(queriesOf(fake)).toEqual([
      expect.objectContaining({
        PhoneNumber: '13800138000',
        SendDate: '20261205',
        PageSize: '50',
        CurrentPage: '1',
      }),
    ]);
    expect(await attempts.get(m.idempotencyKey)).toBeUndefined();
    // Settled: a further send is a duplicate without asking again.
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(queriesOf(fake)).toHaveLength(1);
    expect(fake.sent().map((r) => r.outId)).toEqual([m.idempotencyKey]);
  });

  it('should take a push the carrier delivered as found too', async () => {
    const { fake, channel } = await open();
    const m = message();
    fake.loseNextAnswer();
    await channel.send(m);
    fake.settle(m.idempotencyKey, 'delivered');
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(fake.sent()).toHaveLength(1);
  });

  it('should push again when the earlier push failed at the carrier', async () => {
    const { fake, channel } = await open();
    const m = message();
    fake.loseNextAnswer();
    await channel.send(m);
    fake.settle(m.idempotencyKey, 'failed', 'MOBILE_NOT_ON_SERVICE');
    const again = await channel.send(m);
    expect(again).toEqual({
      outcome: 'delivered',
      messageId: fake.sent()[1]?.bizId,
      duplicate: false,
    });
    expect(fake.sent().map((r) => [r.outId, r.sendStatus])).toEqual([
      [m.idempotencyKey, 2],
      [m.idempotencyKey, 1],
    ]);
  });

  it('should push once when the outbox hands over an attempt Aliyun has no record of', async () => {
    const { fake, channel, attempts } = await open();
    const m = message();
    await attempts.put(m.idempotencyKey, { phoneNumber: '13800138000', sendDates: ['20261205'] });
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: false });
    expect(queriesOf(fake)).toHaveLength(1);
    expect(fake.sent().map((r) => r.outId)).toEqual([m.idempotencyKey]);
    expect(await attempts.get(m.idempotencyKey)).toBeUndefined();
  });

  it('should push nothing while the query fails, and find the push once it answers', async () => {
    const { fake, channel, attempts } = await open();
    const m = message();
    fake.loseNextAnswer();
    await channel.send(m);
    fake.failNext('isp.SYSTEM_ERROR', 'QuerySendDetails');
    expect(await channel.send(m)).toMatchObject({
      outcome: 'failed',
      code: 'VENDOR_UNAVAILABLE',
      vendorCode: 'isp.SYSTEM_ERROR',
    });
    expect(await attempts.get(m.idempotencyKey)).toBeDefined();
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(fake.sent()).toHaveLength(1);
  });

  it('should look on both dates when the push straddled Shanghai midnight', async () => {
    const beforeMidnight = Date.parse('2026-12-04T15:59:59.400Z'); // 23:59:59.4 in Shanghai
    let clock = beforeMidnight;
    const { fake, channel } = await open({
      now: () => (clock += 300),
      fakeNow: () => Date.parse('2026-12-04T16:00:00.500Z'), // Aliyun files it on the 5th
    });
    const m = message();
    fake.loseNextAnswer();
    expect(await channel.send(m)).toMatchObject({ code: 'TIMED_OUT' });
    clock = beforeMidnight;
    expect(await channel.send(m)).toMatchObject({ outcome: 'delivered', duplicate: true });
    expect(queriesOf(fake).map((q) => q.SendDate)).toEqual(['20261204', '20261205']);
    expect(fake.sent()).toHaveLength(1);
  });

  it('should reconcile after a system error, but not after a refusal', async () => {
    const { fake, channel } = await open();
    const systemError = message();
    fake.failNext('isp.SYSTEM_ERROR');
    expect((await channel.send(systemError)).outcome).toBe('failed');
    expect((await channel.send(systemError)).outcome).toBe('delivered');
    expect(queriesOf(fake)).toHaveLength(1);
    const refused = message();
    fake.failNext('isv.BUSINESS_LIMIT_CONTROL');
    expect((await channel.send(refused)).outcome).toBe('failed');
    expect((await channel.send(refused)).outcome).toBe('delivered');
    expect(queriesOf(fake)).toHaveLength(1);
    expect(fake.sent()).toHaveLength(2);
  });

  it('should end a send in flight TIMED_OUT when the channel closes, and refuse sends after', async () => {
    const { fake, channel } = await open({ timeoutMs: 30_000 });
    fake.loseNextAnswer();
    const inFlight = channel.send(message());
    const deadline = Date.now() + 5_000;
    while (fake.sent().length === 0 && Date.now() < deadline)
      await new Promise((r) => setImmediate(r));
    const started = performance.now();
    await channel.close();
    expect(await inFlight).toMatchObject({ code: 'TIMED_OUT', vendorCode: 'ChannelClosed' });
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(channel.send(message())).rejects.toBeInstanceOf(AlertChannelClosedError);
  });

  it('should push nothing when the attempt cannot be recorded first', async () => {
    const broken = {
      get: async () => undefined,
      put: async () => {
        throw new Error('outbox unavailable');
      },
      delete: async () => {},
    };
    const { fake, channel } = await open({ attemptedSends: broken });
    expect(await channel.send(message())).toMatchObject({
      outcome: 'failed',
      code: 'VENDOR_UNAVAILABLE',
      vendorMessage: expect.stringContaining('outbox unavailable'),
    });
    expect(fake.calls()).toEqual([]);
  });

  it('should log failures and reconciling with the number masked and never the secret', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const { fake, channel } = await open({ logger });
    const m = message();
    fake.loseNextAnswer();
    await channel.send(m);
    await channel.send(m);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'aliyun-sms push failed',
        vendorCode: 'TimeoutError',
        to: '…8000',
      }),
      expect.objectContaining({
        msg: 'aliyun-sms reconciled an unanswered push',
        earlier: 'found',
      }),
    ]);
    expect(lines.join('\n')).not.toContain(KEY_SECRET);
    expect(lines.join('\n')).not.toContain('13800138000');
  });
});

it('should keep T0 in the early Shanghai morning, so dates differ from UTC in these tests', () => {
  expect(new Date(T0).toISOString().slice(0, 10)).toBe('2026-12-04');
});
