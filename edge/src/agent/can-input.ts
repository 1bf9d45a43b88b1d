import type { CanFrame } from '../can/frame.js';
import type { CanSource } from '../can/source.js';
import { DbcCodec } from '../dbc/codec.js';
import { loadDbcFile } from '../dbc/load.js';
import type { DbcMessage } from '../dbc/model.js';
import { ObdPoller } from '../obd/poller.js';
import type { AgentConfig } from './config.js';
import type { InputContext, ReadingInput } from './input.js';

type CanConfig = NonNullable<AgentConfig['can']>;

/**
 * Each source is loaded only when configured: on a small board, the serial-port binding and
 * the modules of unused inputs are memory the agent does not need.
 */
export async function createCanSource(source: CanConfig['source']): Promise<CanSource> {
  switch (source.type) {
    case 'slcan': {
      const { SlcanSource } = await import('../can/slcan-source.js');
      return new SlcanSource({
        path: source.path,
        ...(source.baudRate === undefined ? {} : { baudRate: source.baudRate }),
        ...(source.bitrate === undefined ? {} : { bitrate: source.bitrate }),
        ...(source.listenOnly === undefined ? {} : { listenOnly: source.listenOnly }),
        ...(source.timestamps === undefined ? {} : { timestamps: source.timestamps }),
      });
    }
    case 'socketcan': {
      const { SocketCanSource } = await import('../can/socketcan-source.js');
      return new SocketCanSource({ iface: source.interface });
    }
    case 'candump': {
      const { CandumpReplaySource } = await import('../can/candump-replay-source.js');
      // A replayed log stands in for a live bus: frames are stamped with the time they
      // are replayed at.
      return new CandumpReplaySource({
        path: source.file,
        pace: source.realtime ? 'realtime' : 'fast',
        time: 'now',
      });
    }
  }
}

/**
 * The CAN input: frames from the configured source, decoded with the DBC into readings
 * `can.<Message>.<Signal>`, plus OBD-II polling on the same bus when configured. Only signals
 * some mapping reads are turned into readings; frames of unknown ids are counted, not logged
 * (a bus carries many messages a DBC does not describe).
 */
export async function canInput(config: AgentConfig, ctx: InputContext): Promise<ReadingInput> {
  const can = config.can as CanConfig;
  const codec = can.dbc ? new DbcCodec(await loadDbcFile(can.dbc)) : undefined;
  const wantedByMessage = new Map<DbcMessage, { name: string; reading: string }[]>();
  const wanted = (message: DbcMessage) => {
    let list = wantedByMessage.get(message);
    if (!list) {
      list = message.signals
        .map((s) => ({ name: s.name, reading: `can.${message.name}.${s.name}` }))
        .filter((s) => ctx.wants(s.reading));
      wantedByMessage.set(message, list);
    }
    return list;
  };
  let source: CanSource | undefined;
  let poller: ObdPoller | undefined;
  let stopped = false;

  const onFrame = (frame: CanFrame) => {
    ctx.counts.canFrames++;
    if (!codec || frame.remote || frame.error) return;
    const message = codec.lookup(frame.id, frame.extended);
    if (!message) {
      ctx.metrics.inputErrors.inc({ input: 'can', code: 'UNKNOWN_FRAME_ID' });
      return;
    }
    // Most of a bus is messages no mapping reads: they are not decoded at all.
    const want = wanted(message.message);
    if (want.length === 0) return;
    let signals: ReturnType<typeof message.decode>;
    try {
      signals = message.decode(frame.data);
    } catch (err) {
      ctx.inputError('can', err as Error);
      return;
    }
    for (const s of want) {
      const value = signals[s.name];
      if (value === undefined) continue; // multiplexed out
      ctx.reading({ name: s.reading, value: Number(value), timeUs: frame.timeUs });
    }
  };

  const start = async (): Promise<void> => {
    const s = await createCanSource(can.source);
    s.on('frame', onFrame);
    s.on('error', (err) => ctx.inputError('can', err));
    s.on('end', () => {
      if (stopped) return;
      if (can.source.type === 'candump' && can.source.loop) {
        void restart();
      } else {
        ctx.logger.warn({ source: s.name }, 'CAN source ended');
      }
    });
    await s.open();
    source = s;
    if (config.obd) {
      const p = new ObdPoller(s, config.obd);
      p.on('reading', (r) => ctx.reading(r));
      p.on('troubleCodes', (codes, timeMs) => {
        void ctx.event({ kind: 'troubleCodes', codes }, timeMs);
      });
      p.on('error', (err) => ctx.inputError('obd', err));
      p.start();
      poller = p;
    }
  };
  const close = async () => {
    await poller?.stop();
    poller = undefined;
    await source?.close();
    source = undefined;
  };
  const restart = async () => {
    await close();
    if (!stopped) await start();
  };

  return {
    name: 'can',
    start,
    async stop() {
      stopped = true;
      await close();
    },
  };
}
