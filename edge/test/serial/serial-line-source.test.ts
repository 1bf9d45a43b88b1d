import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { SerialLineSource } from '../../src/serial/serial-line-source.js';
import type { Reading } from '../../src/signals/reading.js';
import { FakeDevice, TestDecoder } from './fakes.js';

function setup(options: { idleFlushMs?: number; maxLineBytes?: number } = {}) {
  const device = new FakeDevice();
  const decoder = new TestDecoder();
  const source = new SerialLineSource({
    path: 'fake0',
    baudRate: 9600,
    decoder,
    openPort: device.opener,
    now: () => 1_700_000_000_000,
    ...options,
  });
  const readings: Reading[] = [];
  source.on('reading', (r) => readings.push(r));
  return { device, decoder, source, readings };
}

describe('SerialLineSource', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('decodes lines as they arrive, stamps them with the host clock, and counts them', async () => {
    const { device, source, readings } = setup();
    const errors: Error[] = [];
    source.on('error', (e) => errors.push(e));
    await source.open();
    expect(source.state).toBe('open');
    device.feed('v=1\r\nv=2\r\ngarbage\r\nv=');
    device.feed('3\r\n');
    expect(readings.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(readings.every((r) => r.timeUs === 1_700_000_000_000_000)).toBe(true);
    expect(errors.map((e) => e.message)).toEqual(['bad line garbage']);
    expect(source.stats).toMatchObject({ lines: 4, readings: 3, errors: 1 });
    await source.close();
  });

  it('counts refused lines without an error listener instead of throwing', async () => {
    const { device, source } = setup();
    await source.open();
    expect(() => device.feed('nonsense\n\u0000\u0001\n')).not.toThrow();
    expect(source.stats.errors).toBe(2);
    await source.close();
  });

  it('counts a line the decoder throws on as one error and keeps reading', async () => {
    const { device, source, readings } = setup();
    await source.open();
    device.feed('boom\nv=5\n');
    expect(source.stats.errors).toBe(1);
    expect(readings.map((r) => r.value)).toEqual([5]);
    await source.close();
  });

  it('refuses an over-long line once and reads the next one', async () => {
    const { device, source, readings } = setup({ maxLineBytes: 16 });
    await source.open();
    device.feed(`${'x'.repeat(40)}\nv=9\n`);
    expect(source.stats.errors).toBe(1);
    expect(readings.map((r) => r.value)).toEqual([9]);
    await source.close();
  });

  it('rejects open() when the device cannot be opened the first time', async () => {
    const { device, source } = setup();
    device.present = false;
    await expect(source.open()).rejects.toThrow('no such device');
    expect(source.state).toBe('closed');
  });

  it('flushes the decoder after the line has been quiet for idleFlushMs', async () => {
    vi.useFakeTimers();
    const { device, decoder, source } = setup({ idleFlushMs: 200 });
    await source.open();
    device.feed('v=1\n');
    await vi.advanceTimersByTimeAsync(150);
    device.feed('v=2\n');
    await vi.advanceTimersByTimeAsync(199);
    expect(decoder.flushes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(decoder.flushes).toBe(1);
    await source.close();
  });

  it('reopens a device that went away, backing off 250, 500, 1000 ms between attempts', async () => {
    vi.useFakeTimers();
    const { device, decoder, source, readings } = setup();
    const events: string[] = [];
    source.on('disconnect', () => events.push('disconnect'));
    source.on('connect', () => events.push('connect'));
    await source.open();
    decoder.held.push(42);
    device.unplug();
    expect(source.state).toBe('reconnecting');
    expect(events).toEqual(['connect', 'disconnect']);
    // What the decoder held is emitted when the device goes away.
    expect(decoder.flushes).toBe(1);
    expect(readings.map((r) => r.value)).toEqual([42]);

    const attemptsBefore = device.openAttempts;
    const attemptsAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      return device.openAttempts - attemptsBefore;
    };
    expect(await attemptsAfter(249)).toBe(0);
    expect(await attemptsAfter(1)).toBe(1);
    expect(await attemptsAfter(499)).toBe(1);
    expect(await attemptsAfter(1)).toBe(2);
    expect(await attemptsAfter(999)).toBe(2);
    device.present = true;
    expect(await attemptsAfter(1)).toBe(3);
    expect(source.state).toBe('open');
    expect(events).toEqual(['connect', 'disconnect', 'connect']);
    expect(source.stats).toMatchObject({ disconnects: 1, reconnects: 1 });

    device.feed('v=7\n');
    expect(readings.map((r) => r.value)).toEqual([42, 7]);
    await source.close();
  });

  it('releases the device when closed while the first open is still under way', async () => {
    const { device, source } = setup();
    const opening = source.open();
    await source.close();
    await opening;
    expect(source.state).toBe('closed');
    expect(device.port?.isOpen).toBe(false);
  });

  it('stops reconnecting once closed', async () => {
    vi.useFakeTimers();
    const { device, source } = setup();
    await source.open();
    device.unplug();
    await vi.advanceTimersByTimeAsync(250);
    const attempts = device.openAttempts;
    await source.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(device.openAttempts).toBe(attempts);
    expect(source.state).toBe('closed');
  });

  it('emits what the decoder holds on close, closes the port, and closes only once', async () => {
    const { device, decoder, source, readings } = setup();
    await source.open();
    const port = device.port!;
    decoder.held.push(1, 2);
    await source.close();
    await source.close();
    expect(port.isOpen).toBe(false);
    expect(decoder.ends).toBe(1);
    expect(readings.map((r) => r.value)).toEqual([1, 2]);
  });

  it('ignores data from a port it has already given up on', async () => {
    const { device, source, readings } = setup();
    await source.open();
    const old = device.port!;
    device.unplug();
    old.emit('data', Buffer.from('v=1\n'));
    expect(readings).toEqual([]);
    await source.close();
    await eventually(() => source.state === 'closed', 'source closed', 1000);
  });
});
