import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { ActorSystem } from '../../src/actors/actor-system.js';

describe('ActorSystem', () => {
  it('should process one actor’s messages one at a time, in order, and actors in parallel', async () => {
    const log: string[] = [];
    let concurrentInOne = 0;
    let maxConcurrentInOne = 0;
    const system = new ActorSystem<number>(
      (key) => ({
        async receive(n) {
          concurrentInOne++;
          maxConcurrentInOne = Math.max(maxConcurrentInOne, concurrentInOne);
          await new Promise((r) => setTimeout(r, (n * 7) % 5));
          log.push(`${key}:${n}`);
          concurrentInOne--;
        },
      }),
      { idleMs: 60_000 },
    );
    const work: Promise<void>[] = [];
    for (let n = 0; n < 20; n++) work.push(system.tell('a', n));
    await Promise.all(work);
    expect(log).toEqual(Array.from({ length: 20 }, (_, n) => `a:${n}`));
    expect(maxConcurrentInOne).toBe(1);
    await system.stopAll();
  });

  it('should report a failed message to its sender and keep the mailbox going', async () => {
    const seen: number[] = [];
    const system = new ActorSystem<number>(
      () => ({
        async receive(n) {
          if (n === 2) throw new Error('poison');
          seen.push(n);
        },
      }),
      { idleMs: 60_000 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => system.tell('a', n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen).toEqual([1, 3]);
    await system.stopAll();
  });

  it('should passivate an idle actor and create a fresh one on the next message', async () => {
    let created = 0;
    let stopped = 0;
    const system = new ActorSystem<number>(
      () => {
        created++;
        return { receive: async () => {}, stop: async () => void stopped++ };
      },
      { idleMs: 20 },
    );
    await system.tell('a', 1);
    expect(system.size).toBe(1);
    await eventually(() => system.size === 0, 'the idle actor to be passivated', 2000, 5);
    expect(stopped).toBe(1);
    await system.tell('a', 2);
    expect(created).toBe(2);
    await system.stopAll();
    expect(stopped).toBe(2);
  });

  it('should hold senders back while the mailboxes are full, and let them on as they drain', async () => {
    const release: (() => void)[] = [];
    const system = new ActorSystem<number>(
      () => ({ receive: () => new Promise<void>((r) => release.push(r)) }),
      { idleMs: 60_000, maxQueued: 3 },
    );
    const told: Promise<void>[] = [];
    let admitted = 0;
    const sender = (async () => {
      for (let n = 0; n < 6; n++) {
        await system.whenAccepting();
        admitted++;
        told.push(system.tell(`v${n % 2}`, n));
      }
    })();
    await eventually(() => admitted === 3, 'three messages admitted', 2000, 5);
    // Nothing is processed: the sender stays held at the bound.
    await new Promise((r) => setImmediate(r));
    expect(admitted).toBe(3);
    expect(system.backlog).toBe(3);
    await eventually(() => release.length > 0, 'a message in an actor', 2000, 5);
    release.shift()?.();
    await eventually(() => admitted === 4, 'one more admitted after one drained', 2000, 5);
    while (admitted < 6 || release.length > 0) {
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await sender;
    await Promise.all(told);
    expect(system.backlog).toBe(0);
    await system.stopAll();
  });

  it('should passivate matching actors after their mailbox, and start a successor behind them', async () => {
    const events: string[] = [];
    let incarnation = 0;
    const system = new ActorSystem<number>(
      (key) => {
        const me = `${key}#${++incarnation}`;
        return {
          async receive(n) {
            await new Promise((r) => setTimeout(r, 5));
            events.push(`${me}:${n}`);
          },
          stop: async () => void events.push(`${me}:stop`),
        };
      },
      { idleMs: 60_000 },
    );
    const first = [system.tell('a', 1), system.tell('a', 2), system.tell('b', 1)];
    const passivated = system.passivate((key) => key === 'a');
    expect(system.has('a')).toBe(false);
    expect(system.has('b')).toBe(true);
    // Told while the old actor still works through its mailbox: goes to a new actor, after it.
    const later = system.tell('a', 3);
    await Promise.all([...first, passivated, later]);
    const a = events.filter((e) => e.startsWith('a'));
    expect(a).toEqual(['a#1:1', 'a#1:2', 'a#1:stop', 'a#3:3']);
    expect(events).not.toContain('b#2:stop');
    await system.stopAll();
    expect(events).toContain('b#2:stop');
  });

  it('should start a successor only once its predecessor has stopped, idle or passivated', async () => {
    const events: string[] = [];
    let incarnation = 0;
    const stops: (() => void)[] = [];
    const system = new ActorSystem<number>(
      (key) => {
        const me = `${key}#${++incarnation}`;
        return {
          receive: async (n) => void events.push(`${me}:${n}`),
          // Stopping takes until the test lets it finish (writes of its last messages).
          stop: () =>
            new Promise<void>((resolve) =>
              stops.push(() => {
                events.push(`${me}:stopped`);
                resolve();
              }),
            ),
        };
      },
      { idleMs: 20 },
    );
    await system.tell('a', 1);
    await eventually(() => stops.length === 1, 'the idle actor stopping', 2000, 5);
    const afterIdle = system.tell('a', 2);
    const passivated = system.passivate((key) => key === 'a');
    // The new actor waits for the old one's stop.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual(['a#1:1']);
    stops.shift()?.();
    await afterIdle;
    await eventually(() => stops.length === 1, 'the second actor stopping', 2000, 5);
    const afterPassivate = system.tell('a', 3);
    stops.shift()?.();
    await Promise.all([passivated, afterPassivate]);
    expect(events).toEqual(['a#1:1', 'a#1:stopped', 'a#2:2', 'a#2:stopped', 'a#3:3']);
    const stopping = system.stopAll();
    await eventually(() => stops.length === 1, 'the last actor stopping', 2000, 5);
    stops.shift()?.();
    await stopping;
  });
});
