import type { LogRecord } from '@fleetline/platform';
import {
  decodeTelemetryBatch,
  encodeTelemetryBatch,
  kafkaTopics,
  mqttTopic,
} from '@fleetline/proto';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import type { RunningGateway } from '../src/gateway.js';
import { hostileCases } from './gateway-hostile.cases.js';
import { gen, Raw } from './raw-connection.js';
import { GatewayHarness } from './support.js';

/**
 * Malformed and hostile MQTT on raw sockets against a real gateway (embedded log, registry),
 * while a well-behaved device publishes all along. For every case: the good device keeps
 * being acknowledged, and each of its acknowledged batches is in the log exactly once; the
 * bad connection is closed (or refused with the CONNACK code MQTT 3.1.1 gives); the refusal
 * is counted in the gateway's metrics and named in a log line.
 */

const h = new GatewayHarness('hostile-mqtt');
const MAX_PACKET = 16 * 1024;
const GOOD = 'good-1';
const BAD = 'bad-1';
let gateway: RunningGateway;

/** Every log line of the gateway, parsed. */
const logLines: Record<string, unknown>[] = [];
const logger = pino(
  { level: 'info' },
  { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
);

// ── a well-behaved device publishing all along ──────────────────────────────────────────

const acked: number[] = [];
let good: mqtt.MqttClient;
let publishing: Promise<void> | undefined;
let stopPublishing = false;

async function publishAllAlong(): Promise<void> {
  const t0 = Date.now() - 3_600_000;
  for (let seq = 1; !stopPublishing; seq++) {
    const payload = encodeTelemetryBatch({
      deviceId: GOOD,
      seq,
      samples: [{ signalId: 1, timeMs: t0 + seq * 1000, value: seq % 200 }],
    });
    await good.publishAsync(mqttTopic(GOOD, 'telemetry'), Buffer.from(payload), { qos: 1 });
    acked.push(seq);
    // Well-behaved: a hundred publishes a second, far inside its byte budget (a device that
    // publishes as fast as the broker acknowledges is itself a flood, and is cut off).
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  await h.register(GOOD);
  await h.register(BAD);
  gateway = await h.start({ logger, maxPacketBytes: MAX_PACKET });
  good = await mqtt.connectAsync(url(), {
    clientId: GOOD,
    username: GOOD,
    password: h.secrets.get(GOOD),
    reconnectPeriod: 0,
  });
  publishing = publishAllAlong();
  await eventually(() => acked.length > 0, 'the good device acknowledged');
}, 60_000);

afterAll(async () => {
  stopPublishing = true;
  await publishing?.catch(() => {});
  await good?.endAsync(true);
  await h.close();
});

const url = () => `mqtt://127.0.0.1:${gateway.port}`;

/** The good device is acknowledged again after `since` acknowledgements. */
const stillServing = (since: number) =>
  eventually(() => acked.length > since + 1, 'the good device acknowledged again', 20_000, 10);

const connectPacket = (clientId: string, extra: Record<string, unknown> = {}) =>
  gen({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId,
    keepalive: 30,
    username: clientId,
    password: Buffer.from(h.secrets.get(clientId) ?? 'x'),
    ...extra,
  });

const publishPacket = (topic: string, payload: Uint8Array, messageId = 1) =>
  gen({
    cmd: 'publish',
    topic,
    payload: Buffer.from(payload),
    qos: 1,
    messageId,
    dup: false,
    retain: false,
  });

/** The bad device's own connection, connected (CONNACK 0). */
async function connectedBad(): Promise<Raw> {
  const raw = await Raw.open(gateway.port);
  await raw.send(connectPacket(BAD));
  await eventually(() => raw.connack() ?? raw.closed, 'CONNACK', 20_000, 10);
  expect(raw.connack()?.returnCode, 'the bad device itself is registered').toBe(0);
  return raw;
}

// ── what counts as "counted" and "named" ─────────────────────────────────────────────────

/**
 * The sum of every counter of the gateway that counts refusals (connections refused, auth
 * failures, ACL denials, protocol errors, dead letters …), whatever their names and labels.
 */
async function refusals(): Promise<number> {
  let total = 0;
  for (const metric of await h.metrics.getMetricsAsJSON()) {
    if (String(metric.type) !== 'counter') continue;
    const refusing = /refus|fail|denial|error|reject|malformed|protocol|invalid/.test(metric.name);
    for (const v of metric.values) {
      if (
        refusing ||
        (metric.name.endsWith('publishes_total') && v.labels.outcome === 'dead-letter')
      )
        total += v.value;
    }
  }
  return total;
}

/** A log line written since `from`, at info or above, saying what was wrong. */
const named = (from: number, pattern: RegExp) =>
  eventually(
    () =>
      logLines
        .slice(from)
        .find((l) => (l.level as number) >= 30 && pattern.test(JSON.stringify(l))),
    () =>
      `a log line matching ${pattern}; lines since: ${logLines
        .slice(from)
        .map((l) => JSON.stringify(l))
        .join('\n')}`,
    5_000,
    10,
  );

const bad = (suffix: string) => `v1/${BAD}/${suffix}`;
const telemetry = () =>
  encodeTelemetryBatch({
    deviceId: BAD,
    seq: 1,
    samples: [{ signalId: 1, timeMs: Date.now(), value: 1 }],
  });

const cases = hostileCases({
  open: () => Raw.open(gateway.port),
  connectedBad,
  connectPacket,
  publishPacket,
  bad,
  telemetry,
  badDeviceId: BAD,
  maxPacketBytes: MAX_PACKET,
});

describe('the gateway under malformed and hostile MQTT', () => {
  for (const c of cases) {
    it(`should close or refuse ${c.what}, count and name it, and keep serving the good device`, async () => {
      const [from, before, ackedBefore] = [logLines.length, await refusals(), acked.length];
      const raw = await c.act();
      try {
        await raw.closedByGateway(c.what);
        const connack = raw.connack();
        if (c.connack !== undefined)
          expect.soft(connack?.returnCode, 'CONNACK code').toBe(c.connack);
        if (c.atConnect) expect(connack?.returnCode, 'never accepted').not.toBe(0);
        expect(
          raw.packets.filter((p) => p.cmd === 'puback'),
          'nothing acknowledged',
        ).toEqual([]);
        // Soft: a case shows every part of the invariant it breaks, not only the first.
        const counted = eventually(async () => (await refusals()) > before, 'the count', 5_000);
        expect.soft(await counted.then(() => 'counted', String)).toBe('counted');
        const logged = named(from, c.log);
        expect
          .soft(await logged.then(() => 'named in a log line', String))
          .toBe('named in a log line');
        await stillServing(ackedBefore);
      } finally {
        raw.destroy();
      }
    }, 60_000);
  }

  it('should take a session sent one byte per write, and acknowledge its publish', async () => {
    const ackedBefore = acked.length;
    const raw = await Raw.open(gateway.port);
    try {
      const payload = telemetry();
      await raw.sendByteByByte(
        Buffer.concat([connectPacket(BAD), publishPacket(bad('telemetry'), payload, 42)]),
      );
      await eventually(() => raw.packets.find((p) => p.cmd === 'puback'), 'the PUBACK', 20_000, 10);
      expect(raw.connack()?.returnCode).toBe(0);
      expect(raw.packets.find((p) => p.cmd === 'puback')?.messageId).toBe(42);
      await stillServing(ackedBefore);
    } finally {
      raw.destroy();
    }
  }, 60_000);

  it('should forget a connection cut in the middle of a packet, and store nothing of it', async () => {
    const ackedBefore = acked.length;
    const clients = gateway.connectedClients;
    const raw = await connectedBad();
    const half = publishPacket(
      bad('telemetry'),
      encodeTelemetryBatch({ deviceId: BAD, seq: 99, samples: [] }),
    );
    await raw.send(half.subarray(0, half.length >> 1));
    raw.socket.resetAndDestroy();
    await eventually(
      () => gateway.connectedClients === clients,
      'the cut connection gone',
      10_000,
      10,
    );
    await stillServing(ackedBefore);
    const stored = await telemetryRecords(acked.at(-1) as number);
    const badSeqs = stored
      .filter((r) => r.key === BAD)
      .map((r) => decodeTelemetryBatch(r.value).seq);
    expect(badSeqs).not.toContain(99);
  }, 60_000);

  it('should survive generated damage to a session’s packets, end every such connection and keep serving', async () => {
    // A session's worth of valid packets, damaged: bytes changed, cut, inserted.
    const session = Buffer.concat([
      publishPacket(bad('telemetry'), telemetry(), 5),
      gen({ cmd: 'subscribe', messageId: 6, subscriptions: [{ topic: bad('commands'), qos: 1 }] }),
      gen({ cmd: 'pingreq' }),
      publishPacket(bad('status'), new Uint8Array([1, 2, 3]), 8),
    ]);
    const damage = fc.array(
      fc.oneof(
        fc.record({ at: fc.nat(session.length - 1), set: fc.integer({ min: 0, max: 255 }) }),
        fc.record({
          at: fc.nat(session.length - 1),
          insert: fc.uint8Array({ minLength: 1, maxLength: 8 }),
        }),
        fc.record({ cut: fc.nat(session.length) }),
      ),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(damage, async (changes) => {
        let bytes = Buffer.from(session);
        for (const c of changes) {
          if ('set' in c) bytes[c.at % bytes.length] = c.set;
          else if ('insert' in c) {
            const at = c.at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, at), c.insert, bytes.subarray(at)]);
          } else bytes = bytes.subarray(0, c.cut);
        }
        const ackedBefore = acked.length;
        const clients = gateway.connectedClients;
        const raw = await connectedBad();
        await raw.send(bytes);
        // The device hangs up: whatever state the damage left, the gateway lets go.
        raw.socket.end();
        await raw.closedByGateway('after the device hung up');
        await eventually(
          () => gateway.connectedClients <= clients,
          'the connection gone',
          10_000,
          10,
        );
        await stillServing(ackedBefore);
      }),
      { numRuns: 25 },
    );
  }, 180_000);

  it('should have every acknowledged batch of the good device in the log exactly once', async () => {
    const ackedNow = [...acked];
    const records = await telemetryRecords(ackedNow.at(-1) as number);
    const seqs = records
      .filter((r) => r.key === GOOD)
      .map((r) => decodeTelemetryBatch(r.value).seq);
    const count = new Map<number, number>();
    for (const s of seqs) count.set(s, (count.get(s) ?? 0) + 1);
    for (const s of ackedNow) expect(count.get(s), `seq ${s} in the log`).toBe(1);
    expect(ackedNow.length).toBeGreaterThan(cases.length);
  }, 60_000);
});

/**
 * The telemetry records in the log, read from the start until the good device's batch of
 * `goodSeq`: the log has one partition, so everything acknowledged before it is read too.
 */
async function telemetryRecords(goodSeq: number): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  const consumer = await h.log.consume({
    groupId: `reader-${Math.random().toString(36).slice(2)}`,
    topics: [kafkaTopics.telemetry],
    handle: async (batch) => void records.push(...batch),
  });
  try {
    await eventually(
      () => records.some((r) => r.key === GOOD && decodeTelemetryBatch(r.value).seq >= goodSeq),
      `the good device's batch ${goodSeq} read back`,
      20_000,
    );
    return records;
  } finally {
    await consumer.close();
  }
}
