import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaLog, type LogProducer, withTopicPrefix } from '@fleetline/platform';
import { encodeTelemetryBatch, kafkaTopics, pb, type SignalName, signalId } from '@fleetline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirRecords, openTestAccess, type TestAccess } from '../../test-support/access.js';
import { eventually, kafka, kafkaBrokers, uniqueName } from '../../test-support/infra.js';
import { opsPortOf } from '../../test-support/ops-port.js';
import { freePort, Service } from '../../test-support/process.js';
import { openStream, type StreamClient } from './support/sse-client.js';

/**
 * A sample at 9e15 ms — past what a JavaScript Date holds (8.64e15) — reaching the cloud
 * process while a live client watches its vehicle. It used to pass the codec; the live
 * stream's timer then threw in toISOString(), uncaught, and the process exited; the vehicle's
 * read answered 500 for good. Now the record never gets in (the codec refuses it, the
 * processor dead-letters it, the feed skips it), and the process, the stream and the read
 * carry on. The cloud service runs as its own process (Kafka, SQLite), as in production; the
 * stream and the read are an organisation admin's, the vehicle bound to one of its vehicles.
 */

const kafkaInfra = await kafka();
const speed = signalId('Vehicle.Speed');

describe.skipIf(kafkaInfra.reason)('a 9e15 ms sample and a live subscriber', () => {
  const run = uniqueName('far').toLowerCase();
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-far-future-'));
  let cloud: Service;
  let api: string;
  let log: ReturnType<typeof withTopicPrefix>;
  let producer: LogProducer;
  let stream: StreamClient | undefined;
  let access: TestAccess | undefined;
  let seq = 0;

  const batch = (deviceId: string, samples: [SignalName, number, number][]) => ({
    topic: kafkaTopics.telemetry,
    key: deviceId,
    value: encodeTelemetryBatch({
      deviceId,
      seq: ++seq,
      samples: samples.map(([name, value, timeMs]) => ({
        signalId: signalId(name),
        value,
        timeMs,
      })),
    }),
  });

  beforeAll(async () => {
    const httpPort = await freePort();
    cloud = Service.start('fleetline-cloud', 'cloud/dist/main.js', {
      FLEETLINE_DATA_DIR: dir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      CLOUD_OPS_PORT: '0',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: `${run}.`,
      LOG_PARTITIONS: '1',
      PROCESSOR_GROUP: `${run}-processor`,
      CASSANDRA_CONTACT_POINTS: '',
      CLOCK_TICK_SECONDS: '0',
    });
    await cloud.waitFor(/API on/);
    api = `http://127.0.0.1:${httpPort}`;
    access = await openTestAccess(dataDirRecords(dir));
    await access.bind('veh-far');
    log = withTopicPrefix(
      new KafkaLog({ brokers: kafkaBrokers, clientId: 'far-future-test', replicationFactor: 1 }),
      `${run}.`,
    );
    producer = await log.createProducer();
  });

  afterAll(async () => {
    stream?.close();
    await cloud?.stop();
    await access?.close();
    await producer?.close();
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep the process, the stream and the vehicle read serving', async () => {
    const headers = access?.headers ?? {};
    stream = await openStream(`${api}/api/live?deviceId=veh-far`, headers);
    expect(stream.status).toBe(200);
    const speeds = () =>
      (stream?.messages ?? []).flatMap((m) =>
        m.event === 'state' ? [m.data.signals.find((s) => s.name === 'Vehicle.Speed')?.v] : [],
      );
    // The feed reads from the end of the log once it has its partition: send until it shows.
    const now = Date.now();
    let n = 0;
    await eventually(
      async () => {
        await producer.send([batch('veh-far', [['Vehicle.Speed', ++n, now - 60_000 + n]])]);
        return speeds().length > 0;
      },
      'the live stream to show veh-far',
      60_000,
      250,
    );

    // A wrong clock's sample, hand-made (the encoder refuses it), then a good one.
    await producer.send([
      {
        topic: kafkaTopics.telemetry,
        key: 'veh-far',
        value: pb.telemetry.v1.TelemetryBatch.encode({
          deviceId: 'veh-far',
          seq: ++seq,
          baseTimeMs: 9e15,
          series: [{ signalId: speed, timeDeltaMs: [0], valueDelta: [9999] }],
        }).finish(),
      },
    ]);
    await producer.send([batch('veh-far', [['Vehicle.Speed', 77, now]])]);

    await eventually(
      () => speeds().includes(77) || !cloud.running,
      () => `the speed after the bad sample on the stream (got ${JSON.stringify(speeds())})`,
      30_000,
    );
    expect(cloud.running, cloud.tail()).toBe(true);
    expect(stream.ended).toBe(false);
    expect(speeds()).not.toContain(99.99);

    // The processor refused it too; the read answers the good samples, not a 500. (Latest
    // values are written at most every 10 s, with a batch: batches keep coming meanwhile.)
    let k = 0;
    const vehicle = await eventually(
      async () => {
        await producer.send([batch('veh-far', [['Vehicle.Speed', 77, now + ++k]])]);
        const res = await fetch(`${api}/api/vehicles/veh-far`, { headers });
        const body = (await res.json()) as { signals?: { name: string; v: number }[] };
        if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
        return body.signals?.find((s) => s.name === 'Vehicle.Speed')?.v === 77 && body;
      },
      'the vehicle read to show the good sample',
      30_000,
      250,
    );
    expect(vehicle).toMatchObject({ deviceId: 'veh-far' });
    expect(Date.parse((vehicle as { lastSeen: string }).lastSeen)).toBeLessThan(Date.now() + 1000);
    const ops = `http://127.0.0.1:${await opsPortOf(cloud)}`;
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(
      /fleetline_processor_records_total\{topic="telemetry\.v1",outcome="dead-letter"[^}]*\} 1/,
    );
    expect(cloud.running).toBe(true);
  }, 150_000);
});
