import type { Spool, SpooledMessage } from '../spool/spool.js';
import type { MqttUplink } from './mqtt-uplink.js';

/**
 * Moves spooled messages to the broker: events first, then telemetry, oldest first, with up
 * to `window` publishes awaiting their PUBACK at once. A message leaves the spool only when
 * its PUBACK has arrived. While the connection is down nothing new is handed to the client;
 * what was already handed over stays in the MQTT client's outgoing store and is re-sent by it
 * after the reconnect (so it is never published twice from here).
 */

export interface SenderOptions {
  /** Publishes awaiting PUBACK at once (MQTT "in-flight window"). */
  window?: number;
}

export interface SenderStats {
  sent: number;
  acked: number;
  inFlight: number;
}

export class SpoolSender {
  private readonly inFlight = new Set<number>();
  private readonly window: number;
  private running = false;
  private pumping = false;
  private readonly stats_: SenderStats = { sent: 0, acked: 0, inFlight: 0 };
  private readonly unsubscribe: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly spool: Spool,
    private readonly uplink: MqttUplink,
    options: SenderOptions = {},
  ) {
    this.window = options.window ?? 16;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe.push(this.spool.onAdd(() => this.pump()));
    const onState = () => this.pump();
    this.uplink.on('state', onState);
    this.unsubscribe.push(() => this.uplink.off('state', onState));
    this.pump();
  }

  get stats(): Readonly<SenderStats> {
    return { ...this.stats_, inFlight: this.inFlight.size };
  }

  private pump(): void {
    if (!this.running || this.pumping) return;
    this.pumping = true;
    try {
      while (this.uplink.state === 'online' && this.inFlight.size < this.window) {
        const message = this.spool.peek(this.inFlight);
        if (!message) break;
        this.send(message);
      }
    } finally {
      this.pumping = false;
    }
    if (this.inFlight.size === 0 && !this.spool.peek(this.inFlight)) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private send(message: SpooledMessage): void {
    this.inFlight.add(message.seq);
    this.stats_.sent++;
    const publish =
      message.kind === 'event'
        ? this.uplink.publishEvent(message.payload)
        : this.uplink.publishTelemetry(message.payload);
    publish
      .then(async () => {
        this.stats_.acked++;
        await this.spool.ack(message.seq);
      })
      .catch(() => {
        // The client was closed before the PUBACK: the message stays spooled for next time.
      })
      .finally(() => {
        this.inFlight.delete(message.seq);
        this.pump();
      });
  }

  /** Resolves when the spool is empty and nothing is in flight (or at the deadline). */
  async drained(timeoutMs: number): Promise<boolean> {
    this.pump();
    if (this.inFlight.size === 0 && !this.spool.peek(this.inFlight)) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  stop(): void {
    this.running = false;
    for (const u of this.unsubscribe.splice(0)) u();
  }
}
