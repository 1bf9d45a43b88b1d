import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../src/concurrency-limit.js';
import { PacketSizeGuard } from '../src/packet-size-guard.js';

const publish = (payloadBytes: number) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'v1/dev-1/telemetry',
    payload: Buffer.alloc(payloadBytes, 7),
    qos: 1,
    messageId: 1,
    dup: false,
    retain: false,
  });

describe('PacketSizeGuard', () => {
  it('should pass a stream of packets within the limit, however it is split', () => {
    const stream = Buffer.concat([
      mqttPacket.generate({ cmd: 'pingreq' }),
      publish(10),
      publish(300), // a two-byte remaining length
      publish(20_000), // three bytes
      mqttPacket.generate({ cmd: 'puback', messageId: 9 }),
    ]);
    for (const step of [1, 2, 3, 7, 64, stream.length]) {
      const guard = new PacketSizeGuard(21_000);
      for (let i = 0; i < stream.length; i += step) {
        expect(guard.push(stream.subarray(i, i + step))).toBeUndefined();
      }
    }
  });

  it('should refuse the first packet over the limit as soon as its length is read', () => {
    const guard = new PacketSizeGuard(1024);
    expect(guard.push(publish(100))).toBeUndefined();
    const big = publish(2000);
    // Only the fixed header (type byte and two length bytes) is needed to know.
    expect(guard.push(big.subarray(0, 3))).toMatch(
      /packet of 20\d\d bytes exceeds the limit of 1024/,
    );
  });

  it('should count the fixed header in the limit, to the byte', () => {
    const exact = publish(100);
    expect(new PacketSizeGuard(exact.length).push(exact)).toBeUndefined();
    expect(new PacketSizeGuard(exact.length - 1).push(exact)).toMatch(/exceeds/);
  });

  it('should refuse a remaining length of more than four bytes', () => {
    expect(
      new PacketSizeGuard(1e9).push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])),
    ).toMatch(/malformed remaining length/);
  });
});

describe('ConcurrencyLimit', () => {
  it('should run a few at once, let a bounded number wait, and refuse the rest', async () => {
    const limit = new ConcurrencyLimit(2, 1);
    const release: (() => void)[] = [];
    const started: number[] = [];
    const task = (n: number) => () =>
      new Promise<number>((r) => {
        started.push(n);
        release.push(() => r(n));
      });
    const runs = [1, 2, 3].map((n) => limit.run(task(n)));
    expect(limit.run(task(4))).toBeUndefined();
    expect(limit.full).toBe(true);
    expect([limit.running, limit.waiting]).toEqual([2, 1]);
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    release.shift()?.();
    // The waiting task gets the freed turn before one that arrives after it.
    expect(await runs[0]).toBe(1);
    const late = limit.run(task(5));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    expect(limit.running).toBe(2);
    for (const r of release.splice(0)) r();
    await new Promise((r) => setImmediate(r));
    for (const r of release.splice(0)) r();
    expect(await Promise.all([runs[1], runs[2], late])).toEqual([2, 3, 5]);
    expect([limit.running, limit.waiting]).toEqual([0, 0]);
  });
});
