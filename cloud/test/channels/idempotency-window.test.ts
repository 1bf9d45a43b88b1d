import { describe, expect, it } from 'vitest';
import {
  type DeliveryResult,
  delivered,
  deliveryFailed,
} from '../../src/channels/alert-channel.js';
import { IdempotencyWindow } from '../../src/channels/idempotency-window.js';

const down = deliveryFailed('VENDOR_UNAVAILABLE', { code: '-1', message: 'system busy' });

describe('IdempotencyWindow', () => {
  it('should forget the oldest key past its capacity, and only it', async () => {
    const window = new IdempotencyWindow(2);
    let pushes = 0;
    const push = async () => delivered(`m${++pushes}`);
    await window.once('a', push);
    await window.once('b', push);
    await window.once('c', push);
    expect(await window.once('b', push)).toEqual(delivered('m2', true));
    expect(await window.once('c', push)).toEqual(delivered('m3', true));
    expect(await window.once('a', push)).toEqual(delivered('m4'));
    expect(pushes).toBe(4);
  });

  it('should share a failure with a send that waited for it, and free the key for the retry', async () => {
    const window = new IdempotencyWindow();
    let finish: (r: DeliveryResult) => void = () => {};
    const first = window.once('k', () => new Promise((resolve) => (finish = resolve)));
    const waiting = window.once('k', async () => delivered('never'));
    finish(down);
    expect(await first).toEqual(down);
    expect(await waiting).toEqual(down);
    expect(await window.once('k', async () => delivered('m1'))).toEqual(delivered('m1'));
  });

  it('should free the key when the push throws', async () => {
    const window = new IdempotencyWindow();
    await expect(
      window.once('k', async () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(await window.once('k', async () => delivered('m1'))).toEqual(delivered('m1'));
  });
});

describe('deliveryFailed', () => {
  it('should set retryable from the code and keep the vendor’s code and wait', () => {
    expect(down).toEqual({
      outcome: 'failed',
      code: 'VENDOR_UNAVAILABLE',
      retryable: true,
      vendorCode: '-1',
      vendorMessage: 'system busy',
    });
    expect(
      deliveryFailed('THROTTLED', {
        code: '45011',
        message: 'api minute-quota reach limit',
        retryAfterMs: 60_000,
      }),
    ).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    for (const code of [
      'BAD_RECIPIENT',
      'RECIPIENT_OPTED_OUT',
      'TEMPLATE_REJECTED',
      'CREDENTIALS_REJECTED',
    ] as const)
      expect(deliveryFailed(code, { code: 'x', message: 'y' }).retryable, code).toBe(false);
  });
});
