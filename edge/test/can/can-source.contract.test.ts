import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedSlcanAdapter } from '@fleetline/pty-devices';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { startPtyPair } from '../../../test-support/pty.js';
import { formatCandumpLine, parseCompactFrame } from '../../src/can/candump-format.js';
import { CandumpReplaySource } from '../../src/can/candump-replay-source.js';
import { type CanFrame, frame } from '../../src/can/frame.js';
import { SlcanSource } from '../../src/can/slcan-source.js';
import { SocketCanSource } from '../../src/can/socketcan-source.js';
import type { CanSource } from '../../src/can/source.js';
import { CanLineError, CanSendUnsupportedError, EdgeErrorCodes } from '../../src/errors.js';
import { essentials, SourceRecorder } from './source-recorder.js';

/**
 * One contract, every CanSource adapter: SLCAN against the simulated adapter on a real pty
 * pair, candump log replay on a temporary file, and SocketCAN through can-utils.
 *
 * This kernel has no AF_CAN and no vcan module, so the SocketCAN adapter runs against
 * stand-ins for candump and cansend (stand-ins/*.mjs) that print a canned `candump -L` log
 * and record what would be sent. That exercises everything the adapter itself does —
 * spawning, parsing, exit and error handling, the cansend argument format — but not the
 * kernel side, which needs a machine with `ip link add dev vcan0 type vcan`.
 */

const GARBAGE = Symbol('a line that does not parse');
type Item = CanFrame | typeof GARBAGE;

interface Rig {
  source: CanSource;
  /** Opens the source; its input then carries the items, in order. */
  open(): Promise<void>;
  /** Ends the input the way it ends for this adapter: end of log, candump exits, unplugged. */
  endInput(): Promise<void>;
  /** What the far side saw transmitted (adapters that can send). */
  transmitted(): Promise<ReturnType<typeof essentials>[]>;
}

interface Adapter {
  name: string;
  canSend: boolean;
  /**
   * A source whose input will carry `items`. With `keepOpen` the input stays open after
   * them until endInput(); without, it may end by itself (a log reaching its end).
   */
  rig(items: readonly Item[], keepOpen: boolean): Promise<Rig>;
}

const cleanup = cleanupAfterEach();

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetline-can-'));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const T0 = 1_764_000_000_000_000;

/** A candump -L log of the items, frames 1 ms apart; `holdUs` adds a frame that far later. */
function candumpLog(items: readonly Item[], holdUs?: number): string {
  let timeUs = T0;
  const lines = items.map((item) => {
    timeUs += 1000;
    return item === GARBAGE
      ? 'this line is not candump output'
      : formatCandumpLine({ ...item, timeUs }, 'vcan0');
  });
  if (holdUs !== undefined)
    lines.push(formatCandumpLine(frame(0x7ff, [], { timeUs: timeUs + holdUs }), 'vcan0'));
  return `${lines.join('\n')}\n`;
}

const standIn = (name: string) => join(import.meta.dirname, 'stand-ins', name);

const adapters: Adapter[] = [
  {
    name: 'SLCAN on a pty with the simulated adapter',
    canSend: true,
    async rig(items) {
      const pty = await startPtyPair();
      cleanup.defer(() => pty.stop());
      const adapter = await SimulatedSlcanAdapter.open(pty.a);
      cleanup.defer(() => adapter.close());
      const source = new SlcanSource({ path: pty.b, bitrate: 500_000 });
      cleanup.defer(() => source.close());
      return {
        source,
        async open() {
          await source.open();
          for (const item of items) {
            if (item === GARBAGE) adapter.injectGarbage('T12345');
            else expect(adapter.emitFrame(item)).toBe(true);
          }
        },
        endInput: () => pty.stop(),
        transmitted: async () =>
          adapter.device.transmitted.map((f) => essentials(frame(f.id, f.data, f))),
      };
    },
  },
  {
    name: 'candump log replay',
    canSend: false,
    async rig(items, keepOpen) {
      const dir = await tempDir();
      const path = join(dir, 'drive.log');
      // Kept open: real-time pacing with one more frame an hour after the rest.
      await writeFile(path, candumpLog(items, keepOpen ? 3_600_000_000 : undefined));
      const source = new CandumpReplaySource({ path, pace: keepOpen ? 'realtime' : 'fast' });
      cleanup.defer(() => source.close());
      return {
        source,
        open: () => source.open(),
        endInput: async () => {},
        transmitted: async () => [],
      };
    },
  },
  {
    name: 'SocketCAN through can-utils stand-ins',
    canSend: true,
    async rig(items, keepOpen) {
      const dir = await tempDir();
      const log = join(dir, 'candump.log');
      const sent = join(dir, 'sent.txt');
      await writeFile(log, candumpLog(items));
      await writeFile(sent, '');
      // A sysfs look-alike in which vcan0 is a CAN interface (type 280).
      await mkdir(join(dir, 'net', 'vcan0'), { recursive: true });
      await writeFile(join(dir, 'net', 'vcan0', 'type'), '280\n');
      const source = new SocketCanSource({
        iface: 'vcan0',
        candump: [process.execPath, standIn('candump.mjs'), log, keepOpen ? 'wait' : 'exit'],
        cansend: [process.execPath, standIn('cansend.mjs'), sent],
        sysfsNet: join(dir, 'net'),
      });
      cleanup.defer(() => source.close());
      return {
        source,
        open: () => source.open(),
        endInput: async () => {},
        async transmitted() {
          const lines = (await readFile(sent, 'utf8')).split('\n').filter(Boolean);
          return lines.map((l) => essentials(parseCompactFrame(l.split(' ')[1] ?? '', 0)));
        },
      };
    },
  },
];

const frames: CanFrame[] = [
  frame(0x123, [0xde, 0xad, 0xbe, 0xef]),
  frame(0x18da_f110, [0x02, 0x10, 0x03], { extended: true }),
  frame(0x7df, [], { remote: true, dlc: 8 }),
  frame(0x18db_33f1, [], { remote: true, extended: true, dlc: 0 }),
  frame(0x000, []),
  frame(0x7ff, [1, 2, 3, 4, 5, 6, 7, 8]),
  frame(0x1fff_ffff, [0xff, 0x00, 0x80, 0x7f, 0x01, 0xfe, 0x55, 0xaa], { extended: true }),
  // An extended frame with a small id: the flag must travel, not be guessed from the id.
  frame(0x5, [0x42], { extended: true }),
];

describe.each(adapters)('CanSource contract: $name', (adapter) => {
  it('delivers standard, extended, remote, empty and 8-byte frames in order with their fields intact', async () => {
    const rig = await adapter.rig(frames, true);
    const recorder = new SourceRecorder(rig.source);
    await rig.open();
    await recorder.untilFrames(frames.length);

    expect(recorder.frames.map(essentials)).toEqual(frames.map(essentials));
    expect(rig.source.stats).toEqual({ frames: frames.length, errors: 0 });
    expect(recorder.errors).toEqual([]);
    for (const f of recorder.frames) {
      expect(f.fd).toBe(false);
      expect(f.error).toBe(false);
    }
  });

  it('stamps frames with epoch microseconds that never go backwards', async () => {
    const rig = await adapter.rig(frames, true);
    const recorder = new SourceRecorder(rig.source);
    await rig.open();
    await recorder.untilFrames(frames.length);

    const times = recorder.frames.map((f) => f.timeUs);
    for (const t of times) {
      expect(Number.isSafeInteger(t)).toBe(true);
      expect(t).toBeGreaterThan(1_600_000_000_000_000); // after 2020, in µs
    }
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('turns garbage lines into counted CanLineError events and keeps delivering the frames after them', async () => {
    const [a, b, c] = frames as [CanFrame, CanFrame, CanFrame];
    const rig = await adapter.rig([a, GARBAGE, b, GARBAGE, c], true);
    const recorder = new SourceRecorder(rig.source);
    await rig.open();
    await recorder.untilFrames(3);

    expect(recorder.frames.map(essentials)).toEqual([a, b, c].map(essentials));
    expect(recorder.events).toEqual(['frame', 'error', 'frame', 'error', 'frame']);
    for (const error of recorder.errors) {
      expect(error).toBeInstanceOf(CanLineError);
      expect((error as CanLineError).code).toBe(EdgeErrorCodes.canLineInvalid);
    }
    expect(rig.source.stats).toEqual({ frames: 3, errors: 2 });
  });

  it('emits end exactly once, after the last frame, when its input ends', async () => {
    const rig = await adapter.rig(frames, false);
    const recorder = new SourceRecorder(rig.source);
    await rig.open();
    await recorder.untilFrames(frames.length);
    await rig.endInput();
    await recorder.untilEnd();
    await rig.source.close();

    expect(recorder.ends).toBe(1);
    expect(recorder.events.at(-1)).toBe('end');
    expect(recorder.events.filter((e) => e === 'frame')).toHaveLength(frames.length);
  });

  it('falls silent at close, emits no end for it, and closes again without complaint', async () => {
    const rig = await adapter.rig(frames, true);
    const recorder = new SourceRecorder(rig.source);
    await rig.open();
    await recorder.untilFrames(frames.length);

    await Promise.all([rig.source.close(), rig.source.close()]);
    await rig.source.close();
    const seen = [...recorder.events];
    // Even the input ending now (the device unplugged after close) must not be reported.
    await rig.endInput();
    await new Promise((resolve) => setImmediate(resolve));

    expect(recorder.events).toEqual(seen);
    expect(recorder.ends).toBe(0);
    expect(rig.source.stats.frames).toBe(frames.length);
  });

  it('emits nothing once close() has begun, even with frames still in flight', async () => {
    const many = Array.from({ length: 300 }, (_, i) => frame(0x100 + (i % 0x100), [i & 0xff]));
    const rig = await adapter.rig(many, true);
    const recorder = new SourceRecorder(rig.source);
    let closing: Promise<void> | undefined;
    let seenAtClose = -1;
    rig.source.on('frame', () => {
      if (closing) return;
      seenAtClose = recorder.events.length;
      closing = rig.source.close();
    });
    await rig.open();
    await recorder.untilFrames(1);
    await closing;

    expect(seenAtClose).toBeGreaterThan(0);
    expect(recorder.events).toHaveLength(seenAtClose);
    expect(rig.source.stats.frames).toBe(seenAtClose);
  });

  it(
    adapter.canSend
      ? 'puts sent frames on the bus, standard, extended and remote alike'
      : 'refuses to send with CanSendUnsupportedError',
    async () => {
      const rig = await adapter.rig([], true);
      await rig.open();
      expect(rig.source.canSend).toBe(adapter.canSend);
      const outgoing = [
        frame(0x7df, [0x02, 0x01, 0x0d, 0, 0, 0, 0, 0]),
        frame(0x18db_33f1, [0x02, 0x01, 0x00], { extended: true }),
        frame(0x123, [], { remote: true, dlc: 4 }),
        frame(0x456, []),
      ];
      if (adapter.canSend) {
        for (const f of outgoing) await rig.source.send(f);
        expect(await rig.transmitted()).toEqual(outgoing.map(essentials));
      } else {
        const attempt = rig.source.send(outgoing[0]!);
        await expect(attempt).rejects.toBeInstanceOf(CanSendUnsupportedError);
        await expect(attempt).rejects.toMatchObject({ code: EdgeErrorCodes.canSendUnsupported });
      }
    },
  );

  it('rejects send once closed', async () => {
    const rig = await adapter.rig([], true);
    await rig.open();
    await rig.source.close();

    await expect(rig.source.send(frame(0x123, [1]))).rejects.toMatchObject({
      code: adapter.canSend
        ? EdgeErrorCodes.canSourceUnavailable
        : EdgeErrorCodes.canSendUnsupported,
    });
  });
});
