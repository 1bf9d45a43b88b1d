import { EventEmitter } from 'node:events';
import { encodeStatus, mqttTopic } from '@fleetline/proto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { UplinkClosedError } from '../errors.js';

/**
 * The device's MQTT connection: publishes protobuf payloads QoS 1 on its own topics and
 * resolves each publish only on its PUBACK. Unacknowledged publishes stay in the client's
 * outgoing store and are sent again after a reconnect (MQTT-4.4.0-1), so a broker crash costs
 * a duplicate, never a loss; (device_id, seq) lets the cloud drop the duplicate.
 *
 * The retained status topic carries ONLINE after each connect, and the last will turns it
 * OFFLINE when the connection dies without a DISCONNECT.
 */

export interface MqttUplinkOptions {
  /** e.g. mqtt://gateway:1883 or mqtts://gateway:8883 */
  url: string;
  deviceId: string;
  username?: string;
  password?: string;
  agentVersion?: string;
  keepaliveSec?: number;
  /** First reconnect delay; later ones back off with jitter up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  connectTimeoutMs?: number;
  /** Extra TLS / socket options passed to MQTT.js (ca, cert, key, rejectUnauthorized…). */
  tls?: Pick<IClientOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
}

export type UplinkState = 'connecting' | 'online' | 'offline' | 'closed';

export class MqttUplink extends EventEmitter<{
  state: [UplinkState];
  error: [Error];
}> {
  private readonly client: MqttClient;
  private _state: UplinkState = 'connecting';
  private attempts = 0;

  constructor(private readonly options: MqttUplinkOptions) {
    super();
    const offline = encodeStatus({
      deviceId: options.deviceId,
      timeMs: Date.now(),
      state: 'offline',
      agentVersion: options.agentVersion ?? '0.0.0',
    });
    const base = options.reconnectMs ?? 1000;
    const max = options.maxReconnectMs ?? 30_000;
    this.client = mqtt.connect(options.url, {
      clientId: options.deviceId,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      protocolVersion: 4,
      // A persistent session keeps the device's command subscription across reconnects.
      clean: false,
      keepalive: options.keepaliveSec ?? 30,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      reconnectPeriod: base,
      // Exponential backoff with full jitter, so a fleet does not reconnect in lock-step after
      // a gateway restart.
      reconnectOnConnackError: true,
      // mqtt-packet's number cache is 65,536 pre-built Buffers (~6 MB of heap): too much for a
      // small board, for a saving the agent's publish rate does not need.
      writeCache: false,
      will: {
        topic: mqttTopic(options.deviceId, 'status'),
        payload: Buffer.from(offline),
        qos: 1,
        retain: true,
      },
      ...options.tls,
    });
    this.client.on('reconnect', () => {
      this.attempts++;
      const delay = Math.min(max, base * 2 ** Math.min(this.attempts, 16));
      this.client.options.reconnectPeriod = Math.round(base + Math.random() * (delay - base));
      this.setState('connecting');
    });
    this.client.on('connect', () => {
      this.attempts = 0;
      this.client.options.reconnectPeriod = base;
      this.setState('online');
      this.publishStatus('online').catch((err: Error) => this.emit('error', err));
    });
    this.client.on('offline', () => this.setState('offline'));
    this.client.on('close', () => {
      if (this._state === 'online') this.setState('offline');
    });
    this.client.on('error', (err) => this.emit('error', err));
  }

  get state(): UplinkState {
    return this._state;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  private setState(state: UplinkState): void {
    if (this._state === state || this._state === 'closed') return;
    this._state = state;
    this.emit('state', state);
  }

  /** Resolves once the first connection is up. */
  async waitOnline(timeoutMs = 30_000): Promise<void> {
    if (this._state === 'online') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('state', onState);
        reject(
          new Error(
            `${this.options.deviceId}: not connected to ${this.options.url} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onState = (s: UplinkState) => {
        if (s !== 'online') return;
        clearTimeout(timer);
        this.off('state', onState);
        resolve();
      };
      this.on('state', onState);
    });
  }

  publishTelemetry(payload: Uint8Array): Promise<void> {
    return this.publish(mqttTopic(this.options.deviceId, 'telemetry'), payload, false);
  }

  publishEvent(payload: Uint8Array): Promise<void> {
    return this.publish(mqttTopic(this.options.deviceId, 'events'), payload, false);
  }

  private publishStatus(state: 'online' | 'offline'): Promise<void> {
    const payload = encodeStatus({
      deviceId: this.options.deviceId,
      timeMs: Date.now(),
      state,
      agentVersion: this.options.agentVersion ?? '0.0.0',
    });
    return this.publish(mqttTopic(this.options.deviceId, 'status'), payload, true);
  }

  /** Resolves on PUBACK; survives reconnects (the message is re-sent until acknowledged). */
  private publish(topic: string, payload: Uint8Array, retain: boolean): Promise<void> {
    if (this._state === 'closed') return Promise.reject(new UplinkClosedError());
    const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise<void>((resolve, reject) => {
      const attempt = () =>
        this.client.publish(topic, body, { qos: 1, retain }, (err) => {
          if (!err) return resolve();
          // MQTT.js fails publishes made while it re-sends its store after a reconnect, if
          // that connection drops too ("Connection closed"): they never reached its store.
          // Publishing again (once MQTT.js has finished failing that queue) puts them there;
          // the broker may see a duplicate, never a loss.
          if (err.message === 'Connection closed' && this._state !== 'closed') {
            setImmediate(attempt);
            return;
          }
          reject(this._state === 'closed' ? new UplinkClosedError() : err);
        });
      attempt();
    });
  }

  /** Number of publishes sent but not yet acknowledged. */
  get inFlight(): number {
    return Object.keys(
      (this.client as unknown as { outgoing: Record<string, unknown> }).outgoing ?? {},
    ).length;
  }

  /**
   * Publishes OFFLINE and disconnects cleanly. With force, drops the connection at once
   * (as a power cut would), leaving the will to announce the device offline.
   */
  async close(force = false, timeoutMs = 2000): Promise<void> {
    if (this._state === 'closed') return;
    let clean = !force && this.client.connected;
    if (clean) {
      // The broker may vanish at this very moment: never wait for its PUBACK without bound.
      const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
      clean = await Promise.race([
        this.publishStatus('offline').then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    }
    this._state = 'closed';
    await this.client.endAsync(!clean);
    this.emit('state', 'closed');
  }
}
