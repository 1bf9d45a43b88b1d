import {
  createLogger,
  type Log,
  type LogConsumer,
  loadConfig,
  Registry,
} from '@fleetline/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { startCloud } from '../src/service.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * A cloud process that cannot finish starting leaves nothing of itself running: whatever step
 * fails, the processor, the alert recorder and the live feed it had started are closed again
 * (their consumers leave their groups, the live feed's tails close), so the next start begins
 * clean.
 */

const rig = await embeddedRig('cloud-start');
afterAll(() => rig.close());

const config = loadConfig({
  env: {},
  overrides: {
    httpHost: '127.0.0.1',
    httpPort: 0,
    // Any free port: not the default, which another process may hold.
    cloudOpsPort: 0,
    topicPartitions: 2,
    clockTickSeconds: 0,
  },
});

/** The rig's log, counting consumers and tails open and refusing the `failAt`-th producer. */
function watchedLog(failAt = Number.POSITIVE_INFINITY) {
  const open = new Set<LogConsumer>();
  let tails = 0;
  let producers = 0;
  const log = new Proxy(rig.log, {
    get(target, name) {
      if (name === 'createProducer') {
        return async () => {
          if (++producers === failAt) throw new Error('the log refused a producer');
          return target.createProducer();
        };
      }
      if (name === 'consume') {
        return async (options: Parameters<Log['consume']>[0]) => {
          const consumer = await target.consume(options);
          open.add(consumer);
          return {
            close: async () => {
              open.delete(consumer);
              await consumer.close();
            },
          };
        };
      }
      if (name === 'tail') {
        return async (options: Parameters<Log['tail']>[0]) => {
          const tail = await target.tail(options);
          open.add(tail);
          tails++;
          return {
            partitions: tail.partitions,
            close: async () => {
              open.delete(tail);
              await tail.close();
            },
          };
        };
      }
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Log;
  return { log, open, producers: () => producers, tails: () => tails };
}

const start = (log: Log) =>
  startCloud(config, {
    log,
    telemetryDb: rig.telemetryDb,
    recordsDb: rig.recordsDb,
    logger: createLogger('cloud-start', 'silent'),
    metrics: new Registry(),
    onFatal: (err) => {
      throw err;
    },
  });

describe('cloud start', () => {
  it('should close everything it started when its last producer cannot be made', async () => {
    const whole = watchedLog();
    const cloud = await start(whole.log);
    expect(whole.open.size).toBeGreaterThan(0);
    // The live feed's alerts tail.
    expect(whole.tails()).toBeGreaterThan(0);
    await cloud.close();
    expect(whole.open.size).toBe(0);

    // The same start, failing at its last producer (the API's, for service updates).
    const failing = watchedLog(whole.producers());
    await expect(start(failing.log)).rejects.toThrow('the log refused a producer');
    expect(failing.open.size).toBe(0);
  });
});
