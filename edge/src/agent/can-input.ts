import type { CanSource } from '../can/source.js';
import { createCanSource, restartsAtEnd } from '../can/source-registry.js';
import { DbcCodec } from '../dbc/codec.js';
import { loadDbcFile } from '../dbc/load.js';
import { ObdPoller } from '../obd/poller.js';
import { canFrameReader } from './can-readings.js';
import type { AgentConfig } from './config.js';
import type { InputContext, ReadingInput } from './input.js';

type CanConfig = NonNullable<AgentConfig['can']>;

/**
 * The CAN input: frames from the configured source, decoded with the DBC into readings
 * `can.<Message>.<Signal>` (see can-readings.ts), plus OBD-II polling on the same bus when
 * configured. A source that ends by itself is started again when its kind says so (a replay
 * in a loop), and otherwise logged.
 */
export async function canInput(config: AgentConfig, ctx: InputContext): Promise<ReadingInput> {
  const can = config.can as CanConfig;
  const codec = can.dbc ? new DbcCodec(await loadDbcFile(can.dbc)) : undefined;
  const onFrame = canFrameReader(codec, ctx);
  let source: CanSource | undefined;
  let poller: ObdPoller | undefined;
  let stopped = false;

  const start = async (): Promise<void> => {
    const s = await createCanSource(can.source);
    s.on('frame', onFrame);
    s.on('error', (err) => ctx.inputError('can', err));
    s.on('end', () => {
      if (stopped) return;
      if (restartsAtEnd(can.source)) {
        void restart();
      } else {
        ctx.logger.warn({ source: s.name }, 'CAN source ended');
      }
    });
    await s.open();
    source = s;
    if (config.obd) poller = startObdPoller(s, config.obd, ctx);
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

/** OBD-II polling on the source's bus: readings `obd.<pid name>`, trouble codes as events. */
function startObdPoller(
  source: CanSource,
  obd: NonNullable<AgentConfig['obd']>,
  ctx: InputContext,
): ObdPoller {
  const p = new ObdPoller(source, obd);
  p.on('reading', (r) => ctx.reading(r));
  p.on('troubleCodes', (codes, timeMs) => {
    void ctx.event({ kind: 'troubleCodes', codes }, timeMs);
  });
  p.on('error', (err) => ctx.inputError('obd', err));
  p.start();
  return p;
}
