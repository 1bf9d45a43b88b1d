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
});
