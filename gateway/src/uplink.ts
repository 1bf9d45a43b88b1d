import type { Logger, LogProducer } from '@fleetline/platform';
import { TokenBuckets } from '@fleetline/platform';
import type { PublishPacket } from 'aedes';
import type { UplinkTopic } from './acl.js';
import { routeUplink } from './bridge.js';
import { clippedTopic } from './clipped-topic.js';
import { OverRateError } from './errors.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { RefusalLog } from './refusal-log.js';

/**
 * The uplink path of one allowed publish: the device's byte budget, then routeUplink (forward
 * or dead-letter), then the log's producer; the callback — and with it aedes's PUBACK — comes
 * only after the log's delivery report, so a PUBACK always means "stored". A publish the log
 * did not take gets no PUBACK; the device sends it again.
 *
 * It also counts the publishes waiting for the log, so a closing gateway can let them finish
 * (drained) before the broker closes their connections.
 */

export interface UplinkOptions {
  gatewayId: string;
  producer: LogProducer;
  /** Largest MQTT packet accepted: a device may always send one of these at once. */
  maxPacketBytes: number;
  /** Publish payload bytes a device may send per minute (as a burst too). */
  deviceBytesPerMinute: number;
  /** How far ahead of this gateway's clock a device's times may be (routeUplink's default). */
  maxClockAheadMs?: number;
  metrics: Pick<GatewayMetrics, 'publishes' | 'publishesRefused' | 'inFlight' | 'logLatency'>;
  refusals: RefusalLog;
  log: Logger;
  /** Clock, epoch ms (default Date.now). */
  now?: () => number;
}

export class Uplink {
  private readonly budget: TokenBuckets;
  private readonly now: () => number;
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: UplinkOptions) {
    this.now = o.now ?? Date.now;
    const perMinute = o.deviceBytesPerMinute;
    // A device may always send one packet of the largest size at once.
    this.budget = new TokenBuckets(perMinute / 60, Math.max(perMinute, o.maxPacketBytes), this.now);
  }

  /** Publishes waiting for the log's delivery report. */
  get waiting(): number {
    return this.inFlight;
  }

  /**
   * Takes one publish the topic rules allow; calls `done` with nothing once the log has it
   * (aedes then writes the PUBACK), with an error when it was refused or the log failed.
   */
  take(
    deviceId: string,
    topic: UplinkTopic,
    packet: PublishPacket,
    done: (err?: Error | null) => void,
  ): void {
    const payload = packet.payload as Buffer;
    const { metrics: m, refusals } = this.o;
    // MQTT 3.1.1 has no negative PUBACK. Withholding the PUBACK on an open connection would
    // leave the device waiting until it reconnects anyway (it resends unacknowledged publishes
    // only then, MQTT-4.4.0-1), so the connection is closed at once: nothing of this publish
    // was stored or acknowledged, and the device's spool sends it again.
    if (!this.budget.allow(deviceId, payload.length)) {
      const bytesPerMinute = this.o.deviceBytesPerMinute;
      m.publishesRefused.inc({ reason: 'over-rate' });
      refusals.warn(
        deviceId,
        { deviceId, topic: clippedTopic(packet.topic), bytes: payload.length, bytesPerMinute },
        'publish refused: past the device’s bytes a minute; connection closed without PUBACK',
      );
      done(new OverRateError(`${deviceId} sent more than ${bytesPerMinute} bytes a minute`));
      return;
    }
    const routed = routeUplink(
      topic,
      packet.topic,
      payload,
      this.o.gatewayId,
      this.now(),
      this.o.maxClockAheadMs === undefined ? {} : { maxClockAheadMs: this.o.maxClockAheadMs },
    );
    if (routed.outcome === 'dead-letter') {
      m.publishes.inc({ kind: topic.kind, outcome: 'dead-letter' });
      m.publishesRefused.inc({ reason: routed.code });
      refusals.warn(
        deviceId,
        { deviceId, topic: clippedTopic(packet.topic), reason: routed.reason, code: routed.code },
        'payload refused, dead-lettered',
      );
    }
    this.begin();
    const stop = m.logLatency.startTimer();
    this.o.producer.send([routed.record]).then(
      () => {
        stop();
        if (routed.outcome === 'forward') m.publishes.inc({ kind: topic.kind, outcome: 'stored' });
        this.end();
        done(null);
      },
      (err: Error) => {
        stop();
        m.publishes.inc({ kind: topic.kind, outcome: 'log-failed' });
        this.o.log.error(
          { err, deviceId, topic: clippedTopic(packet.topic) },
          'log did not take the publish; no PUBACK, device will resend',
        );
        this.end();
        done(err);
      },
    );
  }

  /**
   * Resolves once no publish waits for the log — each then has its answer, and so its PUBACK
   * or none — or after `timeoutMs`, whichever comes first.
   */
  async drained(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((r) => this.waiters.push(r)),
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  private begin(): void {
    this.inFlight++;
    this.o.metrics.inFlight.inc();
  }

  private end(): void {
    this.inFlight--;
    this.o.metrics.inFlight.dec();
    if (this.inFlight === 0) for (const r of this.waiters.splice(0)) r();
  }
}
