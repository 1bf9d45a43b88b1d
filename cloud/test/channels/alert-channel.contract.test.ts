import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertChannel,
  type DeliveryResult,
  isRetryable,
} from '../../src/channels/alert-channel.js';
import {
  type AlertMessage,
  type AlertTemplate,
  notificationKey,
  type Recipient,
} from '../../src/channels/alert-message.js';
import { AlertChannelClosedError, AlertMessageError, CloudErrorCodes } from '../../src/errors.js';
import type { Adapter, Rig } from './rigs/rig.js';

/**
 * One contract, every AlertChannel adapter: what the notifier relies on whichever vendor is
 * behind the channel (alert-channel.ts). Each adapter runs against its far side — the log
 * for the console, a contract-true fake of the vendor's server for WeChat and SMS — which
 * tells what reached it and can answer the next push with a vendor failure.
 */

const opened: AlertChannel[] = [];
afterEach(async () => {
  for (const channel of opened.splice(0)) await channel.close();
});

const rigsDir = join(import.meta.dirname, 'rigs');
/** Every adapter's rig: a module in rigs/ exporting `adapter` (rig.ts holds their types). */
const adapters: Adapter[] = [];
for (const file of readdirSync(rigsDir).sort()) {
  if (file === 'rig.ts' || !file.endsWith('.ts')) continue;
  adapters.push(((await import(join(rigsDir, file))) as { adapter: Adapter }).adapter);
}

const collision: AlertTemplate = { id: 'collision_raised', parameters: ['plate', 'time', 'place'] };
const lowBattery: AlertTemplate = { id: 'low_battery_raised', parameters: ['plate', 'volts'] };
const templates = [collision, lowBattery];

let alerts = 0;
/** A collision message to the rig's recipient, under a key of its own unless given one. */
function message(rig: Rig, overrides: Partial<AlertMessage> = {}): AlertMessage {
  const alertId = `alert-${++alerts}`;
  return {
    idempotencyKey: notificationKey(alertId, 'person-1', rig.channel.kind),
    alertId,
    recipient: rig.recipient,
    templateId: collision.id,
    parameters: { plate: '粤B12345', time: '2026-12-05 08:14', place: '深南大道 1001 号' },
    link: 'https://fleetline.example/alerts/1',
    ...overrides,
  };
}

async function open(adapter: Adapter): Promise<Rig> {
  const rig = await adapter.rig(templates);
  opened.push(rig.channel);
  return rig;
}

function expectDelivered(r: DeliveryResult, duplicate: boolean): string {
  expect(r).toEqual({ outcome: 'delivered', messageId: expect.any(String), duplicate });
  const { messageId } = r as { messageId: string };
  expect(messageId).not.toBe('');
  return messageId;
}

async function expectRefused(attempt: Promise<unknown>, field: RegExp): Promise<void> {
  await expect(attempt).rejects.toBeInstanceOf(AlertMessageError);
  await expect(attempt).rejects.toMatchObject({
    code: CloudErrorCodes.alertMessageInvalid,
    retryable: false,
    message: expect.stringMatching(field),
  });
}

describe.each(adapters)('AlertChannel contract: $name', (adapter) => {
  it('should have a stable kind, the recipients it sends to and the templates it was given', async () => {
    const rig = await open(adapter);
    expect(rig.channel.kind).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(rig.channel.recipientKinds.length).toBeGreaterThan(0);
    for (const kind of rig.channel.recipientKinds)
      expect(['wechat', 'phone', 'wecom-group']).toContain(kind);
    expect(rig.channel.recipientKinds).toContain(rig.recipient.kind);
    expect(rig.channel.templates).toEqual(expect.arrayContaining(templates));
    expect(adapter.failures.length).toBeGreaterThan(0);
  });

  it('should deliver a message with its template and parameters, and the vendor’s message id', async () => {
    const rig = await open(adapter);
    const m = message(rig);
    expectDelivered(await rig.channel.send(m), false);
    expect(await rig.pushes()).toEqual([
      { idempotencyKey: m.idempotencyKey, templateId: m.templateId, parameters: m.parameters },
    ]);
  });

  it('should push a key once: sent again, in turn or at the same time, it is a duplicate of the first', async () => {
    const rig = await open(adapter);
    const first = message(rig);
    const id = expectDelivered(await rig.channel.send(first), false);
    const again = await rig.channel.send(first);
    expect(expectDelivered(again, true)).toBe(id);

    const second = message(rig);
    const both = await Promise.all([rig.channel.send(second), rig.channel.send(second)]);
    const duplicates = both.map((r) => (r.outcome === 'delivered' ? r.duplicate : undefined));
    expect(duplicates.sort()).toEqual([false, true]);
    expect(new Set(both.map((r) => (r.outcome === 'delivered' ? r.messageId : r))).size).toBe(1);

    const keys = (await rig.pushes()).map((p) => p.idempotencyKey);
    expect(keys).toEqual([first.idempotencyKey, second.idempotencyKey]);
  });

  it('should push the same content under two keys twice, with two message ids', async () => {
    const rig = await open(adapter);
    const a = message(rig);
    const b = { ...a, idempotencyKey: notificationKey(a.alertId, 'person-2', rig.channel.kind) };
    const ids = [
      expectDelivered(await rig.channel.send(a), false),
      expectDelivered(await rig.channel.send(b), false),
    ];
    expect(ids[0]).not.toBe(ids[1]);
    expect(await rig.pushes()).toHaveLength(2);
  });

  it('should refuse an empty or malformed recipient with AlertMessageError and push nothing', async () => {
    const rig = await open(adapter);
    const bad: [Recipient, RegExp][] = [
      [{ kind: 'wechat', openid: '' }, /openid must not be empty/],
      [{ kind: 'wechat', openid: '   ' }, /openid must not be empty/],
      [{ kind: 'phone', e164: '' }, /e164 must not be empty/],
      [{ kind: 'phone', e164: '13800138000' }, /E\.164/],
      [{ kind: 'phone', e164: '+86 138 0013 8000' }, /E\.164/],
    ];
    for (const [recipient, field] of bad) {
      const taken = rig.channel.recipientKinds.includes(recipient.kind);
      await expectRefused(
        rig.channel.send(message(rig, { recipient })),
        taken ? field : /not one the channel sends to/,
      );
    }
    const missing = { ...message(rig), recipient: undefined } as unknown as AlertMessage;
    await expectRefused(rig.channel.send(missing), /recipient is missing/);
    expect(await rig.pushes()).toEqual([]);
  });

  it('should refuse an unknown template, a parameter the template does not name and one it lacks', async () => {
    const rig = await open(adapter);
    const parameters = message(rig).parameters;
    await expectRefused(
      rig.channel.send(message(rig, { templateId: 'no_such_template' })),
      /template "no_such_template" is not one the channel has/,
    );
    await expectRefused(
      rig.channel.send(message(rig, { parameters: { ...parameters, speed: '87 km/h' } })),
      /has no parameter "speed"/,
    );
    const { place: _, ...withoutPlace } = parameters;
    await expectRefused(
      rig.channel.send(message(rig, { parameters: withoutPlace })),
      /needs text for "place"/,
    );
    await expectRefused(
      rig.channel.send(message(rig, { templateId: lowBattery.id })),
      /template "low_battery_raised" has no parameter "time", "place"/,
    );
    expect(await rig.pushes()).toEqual([]);
  });

  it('should refuse an empty or overlong idempotency key', async () => {
    const rig = await open(adapter);
    for (const idempotencyKey of ['', 'x'.repeat(65), 'a key with spaces'])
      await expectRefused(rig.channel.send(message(rig, { idempotencyKey })), /idempotencyKey/);
    expect(await rig.pushes()).toEqual([]);
  });

  it('should answer each vendor failure with a result, never a rejection, keeping the vendor’s code', async () => {
    const rig = await open(adapter);
    for (const code of adapter.failures) {
      rig.failNext(code);
      const result = await rig.channel.send(message(rig));
      expect(result).toMatchObject({ outcome: 'failed', code, retryable: isRetryable(code) });
      const failure = result as { vendorCode: unknown; vendorMessage: unknown };
      expect(failure.vendorCode).toEqual(expect.any(String));
      expect(failure.vendorCode).not.toBe('');
      expect(failure.vendorMessage).toEqual(expect.any(String));
    }
    expect(await rig.pushes()).toEqual([]);
  });

  it('should send a key again after it failed, and push it once', async () => {
    const rig = await open(adapter);
    const m = message(rig);
    rig.failNext(adapter.failures[0]!);
    expect((await rig.channel.send(m)).outcome).toBe('failed');
    expectDelivered(await rig.channel.send(m), false);
    expectDelivered(await rig.channel.send(m), true);
    expect((await rig.pushes()).map((p) => p.idempotencyKey)).toEqual([m.idempotencyKey]);
  });

  it.skipIf(!adapter.losesAnswers)(
    'should answer a lost answer TIMED_OUT and, sent again, find the push instead of repeating it',
    async () => {
      const rig = await open(adapter);
      const m = message(rig);
      rig.loseNextAnswer?.();
      expect(await rig.channel.send(m)).toMatchObject({ outcome: 'failed', code: 'TIMED_OUT' });
      expect((await rig.channel.send(m)).outcome).toBe('delivered');
      expect(await rig.pushes()).toHaveLength(1);
    },
  );

  it('should reject sends once closed, and close again without complaint', async () => {
    const rig = await open(adapter);
    await Promise.all([rig.channel.close(), rig.channel.close()]);
    const attempt = rig.channel.send(message(rig));
    await expect(attempt).rejects.toBeInstanceOf(AlertChannelClosedError);
    await expect(attempt).rejects.toMatchObject({ code: CloudErrorCodes.alertChannelClosed });
    expect(await rig.pushes()).toEqual([]);
  });
});
