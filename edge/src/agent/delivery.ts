import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Spool } from '../spool/spool.js';
import { MqttUplink, type MqttUplinkOptions } from '../uplink/mqtt-uplink.js';
import { SpoolSender } from '../uplink/sender.js';
import type { AgentConfig } from './config.js';
import type { AgentMetrics } from './metrics.js';
import { AGENT_VERSION } from './version.js';

/** Publishes awaiting PUBACK at once (uplink.window). */
const DEFAULT_WINDOW = 16;

/** The uplink's options from the config: credentials as given, the TLS files read now. */
export function uplinkOptions(
  config: Pick<AgentConfig, 'deviceId' | 'uplink'>,
  readFile: (path: string) => Buffer = readFileSync,
): MqttUplinkOptions {
  const u = config.uplink;
  return {
    url: u.url,
    deviceId: config.deviceId,
    agentVersion: AGENT_VERSION,
    ...(u.username === undefined ? {} : { username: u.username }),
    ...(u.password === undefined ? {} : { password: u.password }),
    tls: {
      ...(u.caFile ? { ca: readFile(u.caFile) } : {}),
      ...(u.certFile ? { cert: readFile(u.certFile) } : {}),
      ...(u.keyFile ? { key: readFile(u.keyFile) } : {}),
    },
  };
}

/**
 * The way out of the vehicle: the MQTT uplink and the sender that moves the spool onto it,
 * started at once. The connection's state goes to a gauge and the log.
 */
export class Delivery {
  readonly uplink: MqttUplink;
  readonly sender: SpoolSender;
  private drained = false;

  constructor(
    private readonly spool: Spool,
    config: Pick<AgentConfig, 'deviceId' | 'uplink'>,
    metrics: Pick<AgentMetrics, 'uplinkOnline'>,
    private readonly logger: Logger,
  ) {
    this.uplink = new MqttUplink(uplinkOptions(config));
    this.uplink.on('state', (state) => {
      metrics.uplinkOnline.set(state === 'online' ? 1 : 0);
      logger.info({ state }, 'uplink');
    });
    this.uplink.on('error', (err) => logger.warn({ err: err.message }, 'uplink error'));
    this.sender = new SpoolSender(spool, this.uplink, {
      window: config.uplink.window ?? DEFAULT_WINDOW,
    });
    this.sender.start();
  }

  /** Gives the sender up to `timeoutMs` to empty the spool; resolves with whether it did. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.drained = await this.sender.drained(timeoutMs);
    this.logger.info(
      { drained: this.drained, ...this.spool.stats() },
      this.drained ? 'spool drained' : 'spool kept for next start',
    );
    return this.drained;
  }

  /**
   * Stops the sender and closes the uplink: cleanly (status OFFLINE, DISCONNECT) after a drain
   * that emptied the spool; otherwise at once, as a power cut would, leaving the last will to
   * say so — what was not acknowledged stays spooled for the next start.
   */
  async close(): Promise<void> {
    this.sender.stop();
    await this.uplink.close(!this.drained);
  }
}
