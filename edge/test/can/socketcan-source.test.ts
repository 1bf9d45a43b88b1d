import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { frame } from '../../src/can/frame.js';
import { type SocketCanOptions, SocketCanSource } from '../../src/can/socketcan-source.js';
import { CanSourceUnavailableError, EdgeConfigError, EdgeErrorCodes } from '../../src/errors.js';
import { SourceRecorder } from './source-recorder.js';

/**
 * SocketCAN specifics. This kernel has no AF_CAN and no vcan, so candump and cansend are
 * the stand-ins in stand-ins/; the adapter's own behaviour (arguments, parsing, exit codes,
 * stderr, the sysfs check) is what is tested here.
 */

const cleanup = cleanupAfterEach();

const standIn = (name: string) => join(import.meta.dirname, 'stand-ins', name);

async function setup(options: Partial<SocketCanOptions> = {}, log = '') {
  const dir = await mkdtemp(join(tmpdir(), 'fleetline-socketcan-'));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  const logPath = join(dir, 'candump.log');
  const sent = join(dir, 'sent.txt');
  await writeFile(logPath, log);
  await writeFile(sent, '');
  const net = join(dir, 'net');
  await mkdir(join(net, 'vcan0'), { recursive: true });
  await writeFile(join(net, 'vcan0', 'type'), '280\n');
  await mkdir(join(net, 'eth0'), { recursive: true });
  await writeFile(join(net, 'eth0', 'type'), '1\n');
  const source = new SocketCanSource({
    iface: 'vcan0',
    candump: [process.execPath, standIn('candump.mjs'), logPath, 'wait'],
    cansend: [process.execPath, standIn('cansend.mjs'), sent],
    sysfsNet: net,
    ...options,
  });
  cleanup.defer(() => source.close());
  const recorder = new SourceRecorder(source);
  const sentLines = async () => (await readFile(sent, 'utf8')).split('\n').filter(Boolean);
  return { dir, net, source, recorder, sentLines };
}

describe('SocketCAN source', () => {
  it('fails open with CanSourceUnavailableError saying to install can-utils when candump is missing', async () => {
    const { source } = await setup({ candump: ['fleetline-test-no-such-candump'] });
    const opening = source.open();
    await expect(opening).rejects.toBeInstanceOf(CanSourceUnavailableError);
    await expect(opening).rejects.toThrow(/install can-utils/);
  });

  it('fails open naming the interface when sysfs has no such interface', async () => {
    const { source } = await setup({ iface: 'can9' });
    await expect(source.open()).rejects.toThrow(/no network interface "can9"/);
  });

  it('fails open when the interface is not a CAN interface', async () => {
    const { source } = await setup({ iface: 'eth0' });
    await expect(source.open()).rejects.toThrow(/"eth0" is not a CAN interface \(link type 1/);
  });

  it("reports candump's own complaint as an error, then ends, when candump fails", async () => {
    // Without the sysfs check, the missing interface is left for candump to discover.
    const { source, recorder } = await setup({ iface: 'can9', sysfsNet: false });
    await source.open();
    await recorder.untilEnd();

    expect(recorder.events).toEqual(['error', 'end']);
    expect(recorder.errors[0]).toBeInstanceOf(CanSourceUnavailableError);
    expect(recorder.errors[0]?.message).toBe(
      'socketcan:can9: candump exited with code 1: SIOCGIFINDEX: No such device',
    );
  });

  it('keeps the kernel time stamps candump prints', async () => {
    const { source, recorder } = await setup({}, '(1700000000.123456) vcan0 123#11\n');
    await source.open();
    await recorder.untilFrames(1);
    expect(recorder.frames[0]?.timeUs).toBe(1_700_000_000_123_456);
  });

  it('hands cansend the interface and the frame in its ID#DATA form', async () => {
    const { source, sentLines } = await setup();
    await source.open();
    await source.send(frame(0x7df, [0x02, 0x01, 0x0d]));
    await source.send(frame(0x18db_33f1, [0x02, 0x01, 0x00], { extended: true }));
    await source.send(frame(0x123, [], { remote: true, dlc: 4 }));
    await source.send(frame(0x5, [], { extended: true }));

    expect(await sentLines()).toEqual([
      'vcan0 7DF#02010D',
      'vcan0 18DB33F1#020100',
      'vcan0 123#R4',
      'vcan0 00000005#',
    ]);
  });

  it("rejects send with cansend's complaint when cansend fails", async () => {
    const { source } = await setup({ cansend: [process.execPath, standIn('cansend.mjs'), 'fail'] });
    await source.open();
    const sending = source.send(frame(0x123, [1]));
    await expect(sending).rejects.toMatchObject({ code: EdgeErrorCodes.canSourceUnavailable });
    await expect(sending).rejects.toThrow(
      /cansend 123#01 exited with code 1: write: No buffer space/,
    );
  });

  it('rejects send saying to install can-utils when cansend is missing', async () => {
    const { source } = await setup({ cansend: ['fleetline-test-no-such-cansend'] });
    await source.open();
    await expect(source.send(frame(0x123, [1]))).rejects.toThrow(/install can-utils/);
  });

  it('refuses an interface name the kernel could not have with EdgeConfigError', () => {
    for (const iface of ['', 'a/b', 'has space', 'sixteen-chars-xx']) {
      expect(() => new SocketCanSource({ iface })).toThrow(EdgeConfigError);
    }
  });
});
