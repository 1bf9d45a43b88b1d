import { MqttUplink } from '@fleetline/edge';
import { createLogger, fleetlineTopics, type Log, Registry } from '@fleetline/platform';
import {
  decodeTelemetryBatch,
  encodeTelemetryBatch,
  kafkaTopics,
  signalId,
} from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, kafka, within } from '../../test-support/infra.js';
import { PrivateKafka } from '../../test-support/infra-instance.js';
import { kafkaClients } from '../../test-support/kafka-clients.js';
import { type RunningGateway, startGateway } from '../src/gateway.js';
import { clientIdIdentity } from '../src/identity.js';

/**
 * Kafka stopped and started again under a steady load from many devices: the gateway holds
 * the PUBACKs while Kafka is away (devices resend what is unacknowledged), and afterwards every
 * published seq is in Kafka — so no PUBACK ever stood for a message Kafka did not have.
 *
 * The test runs its own single-node Kafka (infra/infra.sh with a private state dir and ports),
 * so stopping it disturbs no other suite.
 */

const sharedKafka = await kafka();
const DEVICES = 12;

for (const client of kafkaClients)
  describe.skipIf(sharedKafka.reason ?? client.skip)(
    `gateway through a Kafka outage (${client.name})`,
    () => {
      let broker: PrivateKafka | undefined;
      let gateway: RunningGateway | undefined;
      let log: Log | undefined;
      const uplinks: MqttUplink[] = [];

      afterAll(async () => {
        for (const u of uplinks) await u.close(true).catch(() => {});
        await gateway?.close().catch(() => {});
        await log?.close().catch(() => {});
        await broker?.dispose();
      }, 120_000);

      it('should have every published seq in Kafka after Kafka was stopped and started', async () => {
        broker = await PrivateKafka.create();
        await broker.up();
        log = client.open({
          brokers: [broker.broker],
          clientId: 'outage-test',
          replicationFactor: 1,
        });
        await log.ensureTopics(fleetlineTopics({ topicPartitions: 3, topicReplication: 1 }));
        const metrics = new Registry();
        gateway = await startGateway({
          host: '127.0.0.1',
          port: 0,
          gatewayId: 'gw-outage',
          producer: await log.createProducer(),
          identity: clientIdIdentity,
          logger: createLogger('gateway-test', 'silent'),
          metrics,
        });

        const published: string[] = [];
        const acked = new Set<string>();
        let publishing = true;
        const devices = Array.from({ length: DEVICES }, (_, i) => `outage-${i}`);
        const loops = devices.map(async (deviceId) => {
          const uplink = new MqttUplink({
            url: `mqtt://127.0.0.1:${gateway?.port}`,
            deviceId,
            reconnectMs: 200,
            maxReconnectMs: 1000,
          });
          uplink.on('error', () => {});
          uplinks.push(uplink);
          const pending: Promise<void>[] = [];
          for (let seq = 1; publishing; seq++) {
            const payload = encodeTelemetryBatch({
              deviceId,
              seq,
              samples: [
                { signalId: signalId('Vehicle.Speed'), timeMs: Date.now(), value: seq % 200 },
              ],
            });
            published.push(`${deviceId}/${seq}`);
            // A publish the uplink gave up on is simply not acknowledged: the check that every
            // published seq was acknowledged below catches it.
            pending.push(
              uplink.publishTelemetry(payload).then(
                () => void acked.add(`${deviceId}/${seq}`),
                () => {},
              ),
            );
            await new Promise((r) => setTimeout(r, 100));
          }
          await Promise.all(pending);
        });

        try {
          await eventually(() => acked.size >= DEVICES * 10, 'a steady flow acknowledged', 30_000);
          await broker.down();
          // PUBACKs for what Kafka confirmed before it stopped may still be on their way (on a busy
          // machine, for a while): the count settles first — unchanged for a second.
          let settled = { size: acked.size, since: Date.now() };
          await eventually(
            () => {
              if (acked.size !== settled.size) settled = { size: acked.size, since: Date.now() };
              return Date.now() - settled.since >= 1000;
            },
            () => `the acknowledgements to settle after Kafka stopped (${acked.size} so far)`,
            20_000,
            50,
          );
          const ackedWhileDown = acked.size;
          await new Promise((r) => setTimeout(r, 2000)); // an outage, not a blip
          // Kafka is gone: nothing can be stored, so nothing may be acknowledged.
          expect(acked.size, 'PUBACKs while Kafka was down').toBe(ackedWhileDown);
          await broker.up();
          let gatewayState = '';
          await eventually(
            async () => {
              gatewayState = (await metrics.metrics())
                .split('\n')
                .filter((l) => /^fleetline_gateway_(publishes_total|in_flight)/.test(l))
                .join('; ');
              return acked.size > ackedWhileDown + DEVICES * 10;
            },
            () =>
              `the flow resumed (${acked.size - ackedWhileDown} acknowledged since; ${gatewayState})`,
            60_000,
            250,
          );
          publishing = false;
          await within(Promise.all(loops), 'the devices’ publish loops to end', 60_000);
          expect(acked.size).toBe(published.length);

          // Everything acknowledged — that is, everything published — is in Kafka.
          const inKafka = new Set<string>();
          const consumer = await log.consume({
            groupId: `outage-check-${Date.now()}`,
            topics: [kafkaTopics.telemetry],
            handle: async (records) => {
              for (const r of records) {
                const b = decodeTelemetryBatch(r.value);
                inKafka.add(`${b.deviceId}/${b.seq}`);
              }
            },
          });
          try {
            await eventually(
              () => published.every((k) => inKafka.has(k)),
              () =>
                `every published seq in Kafka (${published.filter((k) => !inKafka.has(k)).length} missing)`,
              60_000,
              200,
            );
          } finally {
            await within(consumer.close(), 'the checking consumer to close', 60_000);
          }
        } finally {
          // Whatever happened, the devices stop publishing (the uplinks close after the suite).
          publishing = false;
        }
      }, 300_000);
    },
  );
