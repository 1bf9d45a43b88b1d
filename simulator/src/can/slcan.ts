import { SimulatedSlcanAdapter, type SlcanDeviceOptions } from '@fleetline/pty-devices';
import { type Feed, feed, type Served, type ServeOptions, serveFeeds } from '../device/feeds.js';
import type { CanTraffic, SimulatedCanFrame } from './traffic.js';

/**
 * Simulated CAN traffic served live: frames are handed to an SLCAN device (or anything that
 * takes frames) as simulated time catches up with the clock.
 */

/** What frames are handed to: a SimulatedSlcanAdapter, or its SlcanDevice. */
export interface CanFrameSink {
  /** Returns whether the frame went out (an SLCAN channel passes nothing while closed). */
  emitFrame(
    frame: { id: number; extended: boolean; data: ArrayLike<number> },
    timestampMs?: number,
  ): boolean;
}

export interface ServeCanTrafficOptions extends ServeOptions {
  /** Every frame, and whether the sink took it (false: the channel was closed). */
  readonly onFrame?: (frame: SimulatedCanFrame, delivered: boolean) => void;
}

export interface ServedCanTraffic extends Served {
  /** Frames the sink took. */
  readonly delivered: number;
  /** Frames sent while the sink took none (a closed channel). */
  readonly dropped: number;
}

/** The traffic as a feed into `sink`, counting what the sink took. */
export function canFeed(
  sink: CanFrameSink,
  traffic: CanTraffic,
  onFrame?: ServeCanTrafficOptions['onFrame'],
): Feed & { readonly delivered: number; readonly dropped: number } {
  let delivered = 0;
  let dropped = 0;
  const inner = feed(traffic, (frame: SimulatedCanFrame) => {
    const ok = sink.emitFrame(frame, frame.timeMs);
    if (ok) delivered++;
    else dropped++;
    onFrame?.(frame, ok);
  });
  return {
    get nextDueMs() {
      return inner.nextDueMs;
    },
    sendNext: inner.sendNext,
    get delivered() {
      return delivered;
    },
    get dropped() {
      return dropped;
    },
  };
}

/**
 * Sends `traffic` to `sink` in real time: the frame at simulated time t goes out when the
 * clock reaches traffic.startTimeMs + t (make the traffic with `startTimeMs: Date.now()`).
 */
export function serveCanTraffic(
  sink: CanFrameSink,
  traffic: CanTraffic,
  options: ServeCanTrafficOptions = {},
): ServedCanTraffic {
  const can = canFeed(sink, traffic, options.onFrame);
  const served = serveFeeds([can], traffic.startTimeMs, options);
  return {
    get delivered() {
      return can.delivered;
    },
    get dropped() {
      return can.dropped;
    },
    stop: () => served.stop(),
  };
}

export interface SlcanCanSimulator {
  readonly adapter: SimulatedSlcanAdapter;
  readonly served: ServedCanTraffic;
  /** Stops the traffic and releases the pty end; idempotent. */
  close(): Promise<void>;
}

/**
 * A simulated SLCAN adapter (a CANable, say) on the device end of a pty, with `traffic` on
 * its bus: the host end reads it as an agent reads a real adapter.
 */
export async function startSlcanCanSimulator(
  path: string,
  traffic: CanTraffic,
  options: ServeCanTrafficOptions & { readonly device?: SlcanDeviceOptions } = {},
): Promise<SlcanCanSimulator> {
  const adapter = await SimulatedSlcanAdapter.open(path, options.device);
  const served = serveCanTraffic(adapter, traffic, options);
  return {
    adapter,
    served,
    async close() {
      served.stop();
      await adapter.close();
    },
  };
}
