import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clientIdIdentity,
  generateSecret,
  hashSecret,
  RegistryIdentity,
  startGateway,
} from '@fleetline/gateway';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  Registry,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import { decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';
import { vehicleId } from '@fleetline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCleanup } from '../../test-support/cleanup.js';
import { eventually, reachable, requireInfra } from '../../test-support/infra.js';
import { forgetDevices } from '../../test-support/mosquitto.js';
import { Service } from '../../test-support/process.js';
import { makeTestPki } from '../../test-support/tls.js';

/** `fleetline simulate` from outside: a real gateway, its log, and a standard broker. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-simulate-'));
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const cleanup = new TestCleanup();
/** Telemetry batches in the log, per device: their seqs. */
const logged = new Map<string, number[]>();
let openPort = 0;
let tlsPort = 0;
let caFile = '';

beforeAll(async () => {
  await log.ensureTopics(fleetlineTopics({ topicPartitions: 1, topicReplication: 1 }));
  const consumer = await log.consume({
    groupId: 'simulate-check',
    topics: [kafkaTopics.telemetry],
    handle: async (records) => {
      for (const r of records) {
        const b = decodeTelemetryBatch(r.value);
        logged.set(b.deviceId, [...(logged.get(b.deviceId) ?? []), b.seq]);
      }
    },
  });
  cleanup.defer(() => consumer.close());
  const common = {
    host: '127.0.0.1',
    producer: await log.createProducer(),
    logger: createLogger('gateway-test', 'silent'),
  };
  const open = await startGateway({
    ...common,
    port: 0,
    gatewayId: 'gw-open',
    metrics: new Registry(),
    identity: clientIdIdentity,
  });
  cleanup.defer(() => open.close());
  openPort = open.port;
  const pki = makeTestPki(dir);
  caFile = pki.caFile;
  const secured = await startGateway({
    ...common,
    port: 0,
    tls: { port: 0, key: pki.serverKey, cert: pki.serverCert },
    gatewayId: 'gw-registry',
    metrics: new Registry(),
    identity: new RegistryIdentity(telemetryDb),
  });
  cleanup.defer(() => secured.close());
  tlsPort = secured.tlsPort as number;
});

afterAll(async () => {
  await cleanup.run();
  await log.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Summary {
  vehicles: number;
  connected: number;
  sent: number;
  acked: number;
  lost: number;
  failed: number;
  latencyMs: { p50: number | null; p99: number | null };
}

async function simulate(
  args: string[],
): Promise<{ code: number | null; summary: Summary; out: Service }> {
  const cli = Service.start('simulate', 'app/bin/fleetline.js', {}, ['simulate', ...args]);
  const code = await cli.exited;
  const line = cli.output.find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no summary (exit ${code}):\n${cli.tail()}`);
  return { code, summary: JSON.parse(line) as Summary, out: cli };
}

function expectClean(summary: Summary, vehicles: number): void {
  expect(summary.vehicles).toBe(vehicles);
  expect(summary.connected).toBe(vehicles);
  expect(summary.sent).toBeGreaterThan(0);
  expect(summary.acked).toBe(summary.sent);
  expect(summary.lost).toBe(0);
  expect(summary.failed).toBe(0);
  expect(summary.latencyMs.p50).not.toBeNull();
  expect(summary.latencyMs.p50 as number).toBeLessThanOrEqual(summary.latencyMs.p99 as number);
}

/** Waits until the log holds `acked` batches of the prefix's devices, then checks exactly. */
async function expectLogged(prefix: string, vehicles: number, acked: number): Promise<void> {
  const mine = () => [...logged].filter(([id]) => id.startsWith(`${prefix}-`));
  const total = () => mine().reduce((n, [, seqs]) => n + seqs.length, 0);
  await eventually(() => total() >= acked, `${acked} batches of ${prefix} in the log`, 10_000);
  await new Promise((r) => setTimeout(r, 300));
  expect(total()).toBe(acked);
  expect(mine().length).toBe(vehicles);
  for (const [, seqs] of mine()) {
    // Each vehicle's batches once each, seq 1, 2, …
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  }
}

describe('fleetline simulate', () => {
  it('should drive 20 vehicles into a gateway with every batch acknowledged and logged', async () => {
    const { code, summary, out } = await simulate([
      '--url',
      `mqtt://127.0.0.1:${openPort}`,
      '--vehicles',
      '20',
      '--ramp-per-s',
      '50',
      '--batch-interval-ms',
      '500',
      '--sample-interval-ms',
      '100',
      '--duration-s',
      '3',
      '--id-prefix',
      'open',
    ]);
    expect(code, out.tail()).toBe(0);
    expectClean(summary, 20);
    await expectLogged('open', 20, summary.acked);
  }, 60_000);

  /** Registers prefix-0001… and writes their credentials as `fleetline devices add` prints them. */
  async function register(prefix: string, n: number, asArray: boolean): Promise<string> {
    const entries: { deviceId: string; username: string; password: string }[] = [];
    for (let i = 1; i <= n; i++) {
      const deviceId = `${prefix}-000${i}`;
      const password = generateSecret();
      await telemetryDb.addDevice({
        deviceId,
        secretHash: await hashSecret(password),
        createdMs: 1,
      });
      entries.push({ deviceId, username: deviceId, password });
    }
    const file = join(dir, `${prefix}-credentials.json`);
    writeFileSync(
      file,
      asArray ? JSON.stringify(entries) : `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`,
    );
    return file;
  }

  /**
   * Runs `simulate` until a batch of each of the vehicles is in the log, then stops it as
   * Ctrl-C does and reads its summary. First-time scrypt checks (two at a time at the gateway)
   * take seconds on a busy machine, so a run of fixed length could end before the last vehicle
   * got in; this one waits for what the test asserts, and no longer.
   */
  async function simulateUntilLogged(args: string[], ids: readonly string[]) {
    const cli = Service.start('simulate', 'app/bin/fleetline.js', {}, ['simulate', ...args]);
    await eventually(
      () => ids.every((id) => (logged.get(id)?.length ?? 0) > 0),
      () => `a batch of every vehicle in the log:\n${cli.tail()}`,
      50_000,
    );
    const code = await cli.kill('SIGINT');
    const line = cli.output.find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`no summary (exit ${code}):\n${cli.tail()}`);
    return { code, summary: JSON.parse(line) as Summary, out: cli };
  }

  it('should authenticate with the credentials file over TLS', async () => {
    const credentials = await register('reg', 5, false);
    const { code, summary, out } = await simulateUntilLogged(
      [
        `--url=mqtts://127.0.0.1:${tlsPort}`,
        '--vehicles=5',
        '--ramp-per-s=20',
        '--batch-interval-ms=300',
        '--sample-interval-ms=100',
        '--id-prefix=reg',
        `--credentials=${credentials}`,
        `--ca=${caFile}`,
      ],
      Array.from({ length: 5 }, (_, i) => `reg-000${i + 1}`),
    );
    expect(code, out.tail()).toBe(0);
    expectClean(summary, 5);
    await expectLogged('reg', 5, summary.acked);
  }, 60_000);

  it('should skip certificate verification with --insecure, and only then', async () => {
    const credentials = await register('ins', 2, true);
    const args = [
      `--url=mqtts://127.0.0.1:${tlsPort}`,
      '--vehicles=2',
      '--batch-interval-ms=300',
      '--sample-interval-ms=100',
      '--drain-timeout-s=2',
      '--id-prefix=ins',
      `--credentials=${credentials}`,
    ];
    const untrusted = await simulate([...args, '--duration-s=1.5']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.summary).toMatchObject({ connected: 0, sent: 0 });
    expect(untrusted.out.output.join('\n')).toMatch(/certificate/i);
    const { code, summary, out } = await simulateUntilLogged(
      [...args, '--insecure'],
      ['ins-0001', 'ins-0002'],
    );
    expect(code, out.tail()).toBe(0);
    expectClean(summary, 2);
    await expectLogged('ins', 2, summary.acked);
  }, 60_000);

  it('should name the flag of a bad argument and exit 2', async () => {
    const cases = [
      [['--url', 'mqtt://127.0.0.1:1', '--vehicles', 'ten'], '--vehicles'],
      [
        ['--url', 'mqtt://127.0.0.1:1', '--vehicles', '3', '--credentials', join(dir, 'none')],
        '--credentials',
      ],
      [['--url', 'mqtt://127.0.0.1:1', '--vehicles', '3', '--bogus', '1'], '--bogus'],
    ] as const;
    // All at once: each is a process start (the rest of the checks are in simulator/test/cli/simulate-args.test.ts).
    await Promise.all(
      cases.map(async ([args, flag]) => {
        const cli = Service.start('simulate', 'app/bin/fleetline.js', {}, ['simulate', ...args]);
        expect(await cli.exited, args.join(' ')).toBe(2);
        expect(cli.output[0], args.join(' ')).toMatch(new RegExp(`^fleetline simulate: ${flag}: `));
      }),
    );
  }, 60_000);
});

const mosquitto = await reachable('127.0.0.1:1883', 1883);
if (!mosquitto && requireInfra)
  throw new Error('REQUIRE_INFRA=1 but Mosquitto is not reachable at 127.0.0.1:1883');

describe.skipIf(!mosquitto)('fleetline simulate against Mosquitto (127.0.0.1:1883)', () => {
  it('should have every batch acknowledged by a standard broker', async () => {
    const prefix = `simtest-${Date.now().toString(36)}`;
    const { code, summary, out } = await simulate([
      '--url',
      'mqtt://127.0.0.1:1883',
      '--vehicles',
      '20',
      '--ramp-per-s',
      '50',
      '--batch-interval-ms',
      '500',
      '--sample-interval-ms',
      '100',
      '--duration-s',
      '3',
      '--id-prefix',
      prefix,
    ]);
    await forgetDevices(
      'mqtt://127.0.0.1:1883',
      Array.from({ length: 20 }, (_, i) => vehicleId(prefix, i)),
    );
    expect(code, out.tail()).toBe(0);
    expectClean(summary, 20);
  }, 60_000);
});

describe('fleetline simulate without --duration-s', () => {
  it('should stop publishing at Ctrl-C, wait for the PUBACKs and summarise', async () => {
    const cli = Service.start('simulate', 'app/bin/fleetline.js', {}, [
      'simulate',
      '--url',
      `mqtt://127.0.0.1:${openPort}`,
      '--vehicles',
      '5',
      '--batch-interval-ms',
      '200',
      '--sample-interval-ms',
      '100',
      '--id-prefix',
      'intr',
    ]);
    await eventually(() => (logged.get('intr-0005')?.length ?? 0) >= 2, 'intr-0005 publishing');
    expect(await cli.kill('SIGINT'), cli.tail()).toBe(0);
    const summary = JSON.parse(cli.output.find((l) => l.startsWith('{')) as string) as Summary;
    expectClean(summary, 5);
    await expectLogged('intr', 5, summary.acked);
  }, 60_000);

  it('should exit 1 when no vehicle could connect', async () => {
    const { code, summary } = await simulate([
      '--url',
      'mqtt://127.0.0.1:1',
      '--vehicles',
      '2',
      '--duration-s',
      '1',
      '--drain-timeout-s',
      '1',
    ]);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ vehicles: 2, connected: 0, sent: 0, lost: 0 });
  }, 60_000);
});
