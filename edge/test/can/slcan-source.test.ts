import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@fleetline/proto';
import { SimulatedSlcanAdapter, type SlcanDeviceOptions } from '@fleetline/pty-devices';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { type PtyPair, startPtyPair } from '../../../test-support/pty.js';
import { frame } from '../../src/can/frame.js';
import { SlcanSource, type SlcanSourceOptions } from '../../src/can/slcan-source.js';
import { epochMicros } from '../../src/can/source-base.js';
import {
  CanSendUnsupportedError,
  CanSourceUnavailableError,
  EdgeConfigError,
  EdgeErrorCodes,
  SlcanRejectedError,
} from '../../src/errors.js';
import { essentials, SourceRecorder } from './source-recorder.js';

const cleanup = cleanupAfterEach();

async function ptyPair(): Promise<PtyPair> {
  const pty = await startPtyPair();
  cleanup.defer(() => pty.stop());
  return pty;
}

/** A pty pair with the simulated adapter on one end and an SLCAN source (not yet open) on the other. */
async function rig(device: SlcanDeviceOptions = {}, options: Partial<SlcanSourceOptions> = {}) {
  const pty = await ptyPair();
  const adapter = await SimulatedSlcanAdapter.open(pty.a, device);
  cleanup.defer(() => adapter.close());
  const source = new SlcanSource({ path: pty.b, ...options });
  cleanup.defer(() => source.close());
  const recorder = new SourceRecorder(source);
  return { pty, adapter, device: adapter.device, source, recorder };
}

/** Waits, with a deadline, until the host clock has passed `epochUs`. */
async function clockPasses(epochUs: number, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (epochMicros() <= epochUs) {
    if (Date.now() > deadline) throw new Error('the host clock did not advance');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('SLCAN source', () => {
  it('opens with C, C, S6 and O, in that order, each answered before the next', async () => {
    const { source, device } = await rig();
    await source.open();

    expect(device.commands).toEqual(['C', 'C', 'S6', 'O']);
    expect(device.state).toBe('open');
    expect(device.bitrate).toBe(500_000);
    expect(source.name).toMatch(/^slcan:.+@500k$/);
  });

  it('sends Z1 before opening when asked for time stamps, and Z0 when asked to keep them off', async () => {
    const on = await rig({}, { timestamps: true, bitrate: 125_000 });
    await on.source.open();
    expect(on.device.commands).toEqual(['C', 'C', 'S4', 'Z1', 'O']);

    const off = await rig({}, { timestamps: false, bitrate: 1_000_000 });
    await off.source.open();
    expect(off.device.commands).toEqual(['C', 'C', 'S8', 'Z0', 'O']);
    expect(off.source.name).toMatch(/@1M$/);
  });

  it('closes the channel with C on close', async () => {
    const { source, device } = await rig();
    await source.open();
    await source.close();

    expect(device.commands.at(-1)).toBe('C');
    expect(device.state).toBe('closed');
  });

  it('fails open with SlcanRejectedError naming the bit rate when the adapter answers S7 with BEL', async () => {
    const { source, pty } = await rig({ bitrates: [0, 1, 2, 3, 4, 5, 6, 8] }, { bitrate: 800_000 });
    const opening = source.open();

    await expect(opening).rejects.toBeInstanceOf(SlcanRejectedError);
    await expect(opening).rejects.toMatchObject({
      code: EdgeErrorCodes.slcanRejected,
      message: expect.stringContaining('800k'),
    });
    // The port was released: another source can take it (ports are opened with an
    // exclusive lock, see the test below).
    const retry = new SlcanSource({ path: pty.b, bitrate: 500_000 });
    cleanup.defer(() => retry.close());
    await expect(retry.open()).resolves.toBeUndefined();
  });

  it('fails open with CanSourceUnavailableError while another source holds the port', async () => {
    const { source, pty } = await rig();
    await source.open();
    const second = new SlcanSource({ path: pty.b });
    cleanup.defer(() => second.close());

    await expect(second.open()).rejects.toBeInstanceOf(CanSourceUnavailableError);
  });

  it('fails open with CanSourceUnavailableError when the serial port does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetline-slcan-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const source = new SlcanSource({ path: join(dir, 'ttyACM9') });

    const opening = source.open();
    await expect(opening).rejects.toBeInstanceOf(CanSourceUnavailableError);
    await expect(opening).rejects.toThrow(/ttyACM9/);
  });

  it('fails open with CanSourceUnavailableError when nothing answers on the port', async () => {
    const pty = await ptyPair(); // no adapter on the far end
    const source = new SlcanSource({ path: pty.b, replyTimeoutMs: 150 });
    cleanup.defer(() => source.close());

    await expect(source.open()).rejects.toThrow(/no reply within 150 ms.*SLCAN adapter/);
  });

  it('refuses options that no adapter could take with EdgeConfigError', () => {
    expect(() => new SlcanSource({ path: 'x', bitrate: 33_333 as 500_000 })).toThrow(
      EdgeConfigError,
    );
    expect(() => new SlcanSource({ path: '' })).toThrow(/path/);
    expect(() => new SlcanSource({ path: 'x', baudRate: -1 })).toThrow(/baudRate/);
  });

  it('opens listen-only with L, says it cannot send, and refuses to without writing anything', async () => {
    const { source, device } = await rig({}, { listenOnly: true, bitrate: 250_000 });
    await source.open();
    expect(device.commands).toEqual(['C', 'C', 'S5', 'L']);
    expect(device.state).toBe('listen-only');
    expect(source.canSend).toBe(false);

    await expect(source.send(frame(0x7df, [2, 1, 0]))).rejects.toBeInstanceOf(
      CanSendUnsupportedError,
    );
    expect(device.commands).toEqual(['C', 'C', 'S5', 'L']);
    expect(device.transmitted).toEqual([]);
  });

  it('still receives frames while listen-only', async () => {
    const { source, adapter, recorder } = await rig({}, { listenOnly: true });
    await source.open();
    adapter.emitFrame(frame(0x3e9, [0x10, 0x20]));
    await recorder.untilFrames(1);
    expect(essentials(recorder.frames[0]!)).toEqual(essentials(frame(0x3e9, [0x10, 0x20])));
  });

  it("resolves send on a CANUSB's z and Z acknowledgements as on a bare CR", async () => {
    const { source, device } = await rig({ ack: 'z' });
    await source.open();
    await source.send(frame(0x123, [1, 2]));
    await source.send(frame(0x1234_5678, [3], { extended: true }));

    expect(device.transmitted.map((f) => f.id)).toEqual([0x123, 0x1234_5678]);
  });

  it('rejects send with SlcanRejectedError when the adapter answers BEL, and its status flags say why', async () => {
    const { source, device } = await rig();
    await source.open();
    device.setTxQueueFull(true);

    await expect(source.send(frame(0x123, [1]))).rejects.toBeInstanceOf(SlcanRejectedError);
    expect(await source.statusFlags()).toBe(0x02);
    device.setTxQueueFull(false);
    await source.send(frame(0x123, [1]));
    expect(device.transmitted).toHaveLength(1);
  });

  it('refuses to transmit a CAN FD frame, which SLCAN cannot carry', async () => {
    const { source, device } = await rig();
    await source.open();
    await expect(source.send(frame(0x123, [1], { fd: true }))).rejects.toMatchObject({
      code: EdgeErrorCodes.canFrameInvalid,
    });
    expect(device.commands).toEqual(['C', 'C', 'S6', 'O']);
  });

  it('reports the version and serial number the adapter gives', async () => {
    const { source } = await rig({ version: '0107', serial: 'B042' });
    await source.open();
    expect(await source.version()).toEqual({ hardware: '01', software: '07' });
    expect(await source.serialNumber()).toBe('B042');
  });

  it('answers an OBD-II request through the adapter: the ECU reply arrives as a frame', async () => {
    const { source, adapter, recorder } = await rig();
    adapter.onTransmit((request) =>
      request.id === 0x7df && request.data[2] === 0x0d
        ? [frame(0x7e8, [0x03, 0x41, 0x0d, 0x32, 0, 0, 0, 0])] // vehicle speed 50 km/h
        : undefined,
    );
    await source.open();
    await source.send(frame(0x7df, [0x02, 0x01, 0x0d, 0, 0, 0, 0, 0]));
    await recorder.untilFrames(1);

    expect(essentials(recorder.frames[0]!)).toEqual(
      essentials(frame(0x7e8, [0x03, 0x41, 0x0d, 0x32, 0, 0, 0, 0])),
    );
  });

  it("takes frame times from the adapter's time stamps, across the one-minute wrap", async () => {
    const { source, adapter, recorder } = await rig({}, { timestamps: true });
    await source.open();

    adapter.emitFrame(frame(0x100, [1]), 59_998);
    await recorder.untilFrames(1);
    const first = recorder.frames[0]!.timeUs;
    // Let the host clock move on, so host receive times would differ from adapter times.
    await clockPasses(first + 5000);
    adapter.emitFrame(frame(0x100, [2]), 59_998); // same millisecond on the adapter
    adapter.emitFrame(frame(0x100, [3]), 1); // 3 ms later, past the wrap
    await recorder.untilFrames(3);

    const [, second, third] = recorder.frames;
    expect(second!.timeUs).toBe(first);
    expect(third!.timeUs).toBe(first + 3000);
    expect(recorder.frames.map((f) => Array.from(f.data))).toEqual([[1], [2], [3]]);
  });

  it('reports the device vanishing mid-stream with an error and end, then refuses to send', async () => {
    const { source, adapter, pty, recorder } = await rig();
    await source.open();
    for (let i = 0; i < 5; i++) adapter.emitFrame(frame(0x200 + i, [i]));
    await recorder.untilFrames(5);

    await pty.stop(); // unplugged
    await recorder.untilEnd();

    expect(recorder.events).toEqual(['frame', 'frame', 'frame', 'frame', 'frame', 'error', 'end']);
    expect(recorder.errors[0]).toBeInstanceOf(CanSourceUnavailableError);
    expect(recorder.errors[0]?.message).toMatch(/went away/);
    expect(source.stats).toEqual({ frames: 5, errors: 1 });
    await expect(source.send(frame(0x123, [1]))).rejects.toBeInstanceOf(CanSourceUnavailableError);
    await expect(source.close()).resolves.toBeUndefined();
  });

  it('fails a send that is waiting for its reply as soon as the device vanishes', async () => {
    const { source, device, pty } = await rig({}, { replyTimeoutMs: 20_000 });
    await source.open();
    device.setUnresponsive(true);
    const arrived = new Promise((resolve) => device.once('command', resolve));
    const sending = source.send(frame(0x123, [1]));
    await arrived; // the transmit is on the adapter, unanswered
    const failing = expect(sending).rejects.toThrow(/went away/);
    await pty.stop();

    await failing;
  });

  it('gives up on a command after the reply timeout and runs the next one normally', async () => {
    const { source, device } = await rig({}, { replyTimeoutMs: 200 });
    await source.open();
    device.setUnresponsive(true);
    await expect(source.send(frame(0x123, [1]))).rejects.toThrow(/no reply within 200 ms/);
    device.setUnresponsive(false);

    await source.send(frame(0x124, [2]));
    expect(device.transmitted.map((f) => f.id)).toEqual([0x124]);
  });

  it('reports an unprompted BEL as an error and carries on', async () => {
    const { source, adapter, recorder } = await rig();
    await source.open();
    adapter.device.injectRaw('\x07');
    adapter.emitFrame(frame(0x321, [9]));
    await recorder.untilFrames(1);

    expect(recorder.events).toEqual(['error', 'frame']);
    expect(recorder.errors[0]).toBeInstanceOf(SlcanRejectedError);
  });

  it('survives 4 KiB of random bytes from the adapter and delivers the frame after them', async () => {
    const { source, adapter, recorder } = await rig();
    await source.open();
    const random = seededRandom(2024);
    const noise = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
    adapter.device.injectRaw(noise.toString('latin1'));
    adapter.device.injectRaw('\r');
    const marker = frame(0x5a5, [0xc0, 0xff, 0xee]);
    adapter.emitFrame(marker);
    await recorder.until(
      () => recorder.frames.some((f) => f.id === 0x5a5 && f.data[0] === 0xc0),
      'the marker frame after the noise',
    );

    expect(essentials(recorder.frames.at(-1)!)).toEqual(essentials(marker));
    expect(source.stats.errors).toBeGreaterThan(0);
    // The source still works both ways after the noise.
    await source.send(frame(0x123, [1]));
  });
});
