import type { CanFrame } from '../can/frame.js';
import type { DbcCodec } from '../dbc/codec.js';
import type { DbcMessage } from '../dbc/model.js';
import type { InputContext } from './input.js';

type ReaderContext = Pick<InputContext, 'counts' | 'metrics' | 'wants' | 'reading' | 'inputError'>;

/**
 * Turns CAN frames into readings `can.<Message>.<Signal>` with the DBC. Only signals some
 * mapping reads become readings; frames of unknown ids are counted, not logged (a bus carries
 * many messages a DBC does not describe). Without a DBC, frames are only counted.
 */
export function canFrameReader(
  codec: DbcCodec | undefined,
  ctx: ReaderContext,
): (frame: CanFrame) => void {
  const wanted = wantedSignals(ctx);
  return (frame) => {
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
}

/** The signals of a message that some mapping reads, worked out once per message. */
function wantedSignals(ctx: Pick<InputContext, 'wants'>) {
  const byMessage = new Map<DbcMessage, { name: string; reading: string }[]>();
  return (message: DbcMessage) => {
    let list = byMessage.get(message);
    if (!list) {
      list = message.signals
        .map((s) => ({ name: s.name, reading: `can.${message.name}.${s.name}` }))
        .filter((s) => ctx.wants(s.reading));
      byMessage.set(message, list);
    }
    return list;
  };
}
