import { describe, expect, it } from 'vitest';
import { deliveryFailed } from '../../../src/channels/alert-channel.js';
import {
  AccessTokenCache,
  type TokenFetch,
} from '../../../src/channels/wechat/wechat-access-token.js';
import { TestClock } from './harness.js';

/** A token source that counts its fetches and answers each as told. */
function source(answers: (n: number) => TokenFetch) {
  let fetches = 0;
  let release: () => void = () => {};
  let gate: Promise<void> | undefined;
  return {
    get fetches() {
      return fetches;
    },
    /** Holds the following fetches until `open()`. */
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open() {
      release();
      gate = undefined;
    },
    fetch: async (): Promise<TokenFetch> => {
      const n = ++fetches;
      if (gate) await gate;
      return answers(n);
    },
  };
}

const token = (n: number): TokenFetch => ({ ok: true, token: `t${n}`, expiresInSeconds: 7200 });

describe('AccessTokenCache', () => {
  it('should fetch once for sends at the same time, and keep the token for later ones', async () => {
    const clock = new TestClock();
    const s = source(token);
    const cache = new AccessTokenCache(s.fetch, clock.now);
    s.hold();
    const both = Promise.all([cache.get(), cache.get(), cache.get()]);
    s.open();
    expect(await both).toEqual([1, 2, 3].map(() => ({ ok: true, token: 't1' })));
    clock.advance(6_000_000);
    expect(await cache.get()).toEqual({ ok: true, token: 't1' });
    expect(s.fetches).toBe(1);
  });

  it('should replace a token 5 minutes before it expires', async () => {
    const clock = new TestClock();
    const s = source(token);
    const cache = new AccessTokenCache(s.fetch, clock.now);
    await cache.get();
    clock.advance(7_200_000 - 300_000 - 1);
    expect(await cache.get()).toEqual({ ok: true, token: 't1' });
    clock.advance(1);
    expect(await cache.get()).toEqual({ ok: true, token: 't2' });
  });

  it('should use a token shorter-lived than twice the margin for half its life', async () => {
    const clock = new TestClock();
    const s = source((n) => ({ ok: true, token: `t${n}`, expiresInSeconds: 400 }));
    const cache = new AccessTokenCache(s.fetch, clock.now);
    await cache.get();
    clock.advance(199_999);
    expect(await cache.get()).toEqual({ ok: true, token: 't1' });
    clock.advance(1);
    expect(await cache.get()).toEqual({ ok: true, token: 't2' });
  });

  it('should drop a refused token, but not the one a concurrent send already replaced it with', async () => {
    const s = source(token);
    const cache = new AccessTokenCache(s.fetch, new TestClock().now);
    await cache.get();
    cache.invalidate('t1');
    expect(await cache.get()).toEqual({ ok: true, token: 't2' });
    cache.invalidate('t1'); // a second send refused with t1 arrives late
    expect(await cache.get()).toEqual({ ok: true, token: 't2' });
    expect(s.fetches).toBe(2);
  });

  it('should not keep a failed fetch: the next send asks again', async () => {
    const down = deliveryFailed('VENDOR_UNAVAILABLE', { code: '-1', message: 'system error' });
    const s = source((n) => (n === 1 ? { ok: false, failure: down } : token(n)));
    const cache = new AccessTokenCache(s.fetch, new TestClock().now);
    expect(await cache.get()).toEqual({ ok: false, failure: down });
    expect(await cache.get()).toEqual({ ok: true, token: 't2' });
  });
});
