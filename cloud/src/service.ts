import { randomBytes } from 'node:crypto';
import type { Config, Log, Logger, Registry, Store } from '@fleetline/platform';
import { startAlertRecorder } from './alerts/alert-recorder.js';
import { buildApi, listenApi } from './api/server.js';
import { LiveFeed } from './live/live-feed.js';
import { startProcessor } from './processor.js';

/**
 * The cloud side of one process: a processor in the consumer group, the alert recorder and
 * the HTTP API.
 */
export interface RunningCloud {
  readonly httpPort: number;
  close(): Promise<void>;
}

export async function startCloud(
  config: Config,
  deps: { log: Log; store: Store; logger: Logger; metrics: Registry; onFatal(err: Error): void },
): Promise<RunningCloud> {
  const processor = await startProcessor({
    log: deps.log,
    store: deps.store,
    groupId: config.processorGroup,
    logger: deps.logger,
    metrics: deps.metrics,
    onFatal: deps.onFatal,
  });
  const recorder = await startAlertRecorder({
    log: deps.log,
    store: deps.store,
    groupId: `${config.processorGroup}-alert-recorder`,
    logger: deps.logger,
    metrics: deps.metrics,
    onFatal: deps.onFatal,
  }).catch(async (err: Error) => {
    await processor.close();
    throw err;
  });
  // The live view reads the log in a group of this instance alone, from its end.
  const live = new LiveFeed({
    log: deps.log,
    groupId: `${config.processorGroup}-live-${randomBytes(4).toString('hex')}`,
    logger: deps.logger,
    metrics: deps.metrics,
    onError: deps.onFatal,
  });
  await live.start().catch(async (err: Error) => {
    await recorder.close();
    await processor.close();
    throw err;
  });
  const api = buildApi({ store: deps.store, logger: deps.logger, metrics: deps.metrics, live });
  let httpPort: number;
  try {
    httpPort = await listenApi(api, config.httpHost, config.httpPort);
  } catch (err) {
    await live.close();
    await recorder.close();
    await processor.close();
    throw err;
  }
  return {
    httpPort,
    async close() {
      await api.close();
      await live.close();
      await processor.close();
      await recorder.close();
    },
  };
}
