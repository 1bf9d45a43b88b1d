import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  decodeCommand,
  encodeCommand,
  encodeTelemetryBatch,
  mqttTopic,
  signalId,
} from '@fleetline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { makeTestPki, type TestPki } from '../../test-support/tls.js';
import type { RunningGateway } from '../src/gateway.js';
import { GatewayHarness } from './support.js';

/**
 * Interop with Eclipse Mosquitto's command-line clients (Debian `mosquitto-clients`) as a
 * device: with credentials over TCP and TLS, and with a client certificate.
 */

const run = promisify(execFile);
const h = new GatewayHarness('mosq-clients');
let pki: TestPki;
let gateway: RunningGateway;
let secret: string;
const payloadFile = join(h.dir, 'batch.bin');

beforeAll(async () => {
  pki = makeTestPki(h.dir);
  secret = await h.register('mosq-1');
  writeFileSync(
    payloadFile,
    encodeTelemetryBatch({
      deviceId: 'mosq-1',
      seq: 1,
      samples: [{ signalId: signalId('Vehicle.Speed'), timeMs: Date.now(), value: 42 }],
    }),
  );
  gateway = await h.start({
    tls: { port: 0, key: pki.serverKey, cert: pki.serverCert, ca: pki.ca },
    hold: h.telemetryDb,
  });
});

afterAll(() => h.close());

const stored = async () =>
  (await h.counts('fleetline_gateway_publishes_total', 'outcome')).stored ?? 0;

/** mosquitto_pub as device mosq-1, QoS 1: it exits 0 only after the PUBACK. */
function pub(extra: string[]) {
  return run(
    'mosquitto_pub',
    ['-h', '127.0.0.1', '-i', 'mosq-1', '-q', '1', '-t', mqttTopic('mosq-1', 'telemetry')]
      .concat(['-f', payloadFile, '-V', 'mqttv311'])
      .concat(extra),
    { timeout: 10_000 },
  );
}

describe('mosquitto_pub as a device', () => {
  it('should publish with credentials over plain MQTT, and be stored', async () => {
    const before = await stored();
    await pub(['-p', String(gateway.port), '-u', 'mosq-1', '-P', secret]);
    expect(await stored()).toBe(before + 1);
  });

  it('should publish with credentials over TLS', async () => {
    const before = await stored();
    await pub([
      '-p',
      String(gateway.tlsPort),
      '--cafile',
      pki.caFile,
      '-u',
      'mosq-1',
      '-P',
      secret,
    ]);
    expect(await stored()).toBe(before + 1);
  });

  it('should publish with a client certificate and no password (mutual TLS)', async () => {
    const c = pki.client('mosq-1');
    const before = await stored();
    await pub([
      '-p',
      String(gateway.tlsPort),
      '--cafile',
      pki.caFile,
      '--cert',
      c.certFile,
      '--key',
      c.keyFile,
    ]);
    expect(await stored()).toBe(before + 1);
  });

  it('should be refused with a wrong password, saying so', async () => {
    const err = await pub(['-p', String(gateway.port), '-u', 'mosq-1', '-P', 'wrong']).catch(
      (e: Error & { stderr: string }) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { stderr: string }).stderr).toMatch(/bad user name or password/i);
  });
});

describe('mosquitto_sub as a device', () => {
  it('should receive a command on its own topic, with credentials over TLS', async () => {
    const sub = execFile(
      'mosquitto_sub',
      ['-h', '127.0.0.1', '-p', String(gateway.tlsPort), '--cafile', pki.caFile]
        .concat(['-i', 'mosq-1', '-u', 'mosq-1', '-P', secret, '-q', '1', '-V', 'mqttv311'])
        .concat(['-t', mqttTopic('mosq-1', 'commands'), '-C', '1', '-W', '20', '-F', '%x']),
      { timeout: 30_000 },
    );
    let out = '';
    sub.stdout?.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((r) => sub.once('exit', r));
    const command = encodeCommand({
      commandId: 'c-sub',
      deviceId: 'mosq-1',
      issuedAtMs: Date.now(),
      expiresAtMs: 0,
      action: { kind: 'ping' },
    });
    // Whether its SUBSCRIBE is in place cannot be seen from here, so the command is offered
    // until mosquitto_sub has one and exits (-C 1); the first one it got is the one printed.
    let code: number | null | undefined;
    void exited.then((c) => {
      code = c;
    });
    await eventually(
      async () => {
        if (code !== undefined) return true;
        await gateway.deliverCommand('mosq-1', command);
        return false;
      },
      'mosquitto_sub to receive a command',
      20_000,
      200,
    );
    expect(code).toBe(0);
    expect(decodeCommand(Buffer.from(out.trim(), 'hex')).commandId).toBe('c-sub');
  });

  it('should get a command held while it was connected nowhere, and acknowledge it for good', async () => {
    const payload = encodeCommand({
      commandId: 'c-held',
      deviceId: 'mosq-1',
      issuedAtMs: Date.now(),
      expiresAtMs: 0,
      action: { kind: 'ping' },
    });
    // What the downlink does with a command for a device connected nowhere.
    await h.telemetryDb.holdCommand({
      deviceId: 'mosq-1',
      commandId: 'c-held',
      payload,
      expiresMs: Date.now() + 60_000,
      loggedMs: Date.now(),
      logOffset: 0,
    });
    // A clean session, as mosquitto_sub has by default: it gets the command when it subscribes.
    const { stdout } = await run(
      'mosquitto_sub',
      ['-h', '127.0.0.1', '-p', String(gateway.tlsPort), '--cafile', pki.caFile]
        .concat(['-i', 'mosq-1', '-u', 'mosq-1', '-P', secret, '-q', '1', '-V', 'mqttv311'])
        .concat(['-t', mqttTopic('mosq-1', 'commands'), '-C', '1', '-W', '20', '-F', '%x']),
      { timeout: 30_000 },
    );
    expect(decodeCommand(Buffer.from(stdout.trim(), 'hex')).commandId).toBe('c-held');
    // Its PUBACK settled it: nothing is pending any more.
    await eventually(
      async () => (await h.telemetryDb.pendingCommands('mosq-1', Date.now())).length === 0,
      'the command acknowledged',
      10_000,
    );
    expect((await h.counts('fleetline_gateway_commands_total', 'outcome'))['delivered-held']).toBe(
      1,
    );
  });

  it('should be refused another device’s commands', async () => {
    // The gateway answers the SUBSCRIBE with SUBACK 0x80; mosquitto_sub reports it and stops.
    const { stderr } = await run(
      'mosquitto_sub',
      ['-h', '127.0.0.1', '-p', String(gateway.port), '-i', 'mosq-1', '-u', 'mosq-1', '-P', secret]
        .concat(['-q', '1', '-V', 'mqttv311', '-t', mqttTopic('other-9', 'commands'), '-C', '1'])
        .concat(['-W', '5']),
      { timeout: 10_000 },
    ).catch((e: { stderr: string }) => e);
    expect(stderr).toMatch(/denied/i);
  });
});
