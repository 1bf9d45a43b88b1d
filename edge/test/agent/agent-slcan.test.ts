import { signalId } from '@fleetline/proto';
import { SimulatedSlcanAdapter } from '@fleetline/pty-devices';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { type PtyPair, startPtyPair } from '../../../test-support/pty.js';
import { type RunningAgent, startAgent } from '../../src/agent/agent.js';
import { validateAgentConfig } from '../../src/agent/config.js';
import { buildInputs } from '../../src/agent/inputs.js';
import {
  cleanupAfterEachTest,
  decodeUplink,
  demoDbc,
  demoMappings,
  encodeDemo,
  quietLogger,
  tempDir,
} from './support.js';

/** The whole agent on real parts: a simulated CANable on a pty → SLCAN source → DBC → MQTT. */

const cleanup = cleanupAfterEachTest();

describe('agent with an SLCAN adapter', () => {
  let pty: PtyPair;
  let adapter: SimulatedSlcanAdapter;
  let broker: TestBroker;
  let agent: RunningAgent;

  it('should decode frames from the pty and deliver batched samples to the broker', async () => {
    pty = await startPtyPair();
    cleanup(() => pty.stop());
    adapter = await SimulatedSlcanAdapter.open(pty.a);
    cleanup(() => adapter.close());
    broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const dir = tempDir();
    const config = validateAgentConfig(
      {
        deviceId: 'slcan-veh-1',
        uplink: { url: broker.url, batchIntervalMs: 200 },
        spool: { dir: 'spool' },
        can: { source: { type: 'slcan', path: pty.b, bitrate: 500000 }, dbc: demoDbc },
        signals: demoMappings,
        // Every change, even two frames read in the same millisecond.
        collection: { default: { kind: 'change', deadband: 0 } },
        crash: { enabled: false },
        metrics: { port: 0 },
      },
      dir,
    );
    agent = await startAgent(config, quietLogger(), buildInputs);
    cleanup(() => agent.stop(2000));
    await eventually(
      () => adapter.device.commands.includes('O'),
      'the adapter opened by the agent',
      10_000,
    );

    const speeds = Array.from({ length: 40 }, (_, i) => 10 + i * 1.25);
    for (const speed of speeds) {
      adapter.emitFrame({
        id: 256,
        extended: false,
        data: await encodeDemo(256, {
          SPEED: speed,
          ACCEL_LONG: -0.5,
          ACCEL_LAT: 0.25,
          ACCEL_VERT: 9.8,
        }),
      });
      // Distinct sample times: the adapter frames carry the host receive time.
      await new Promise((r) => setTimeout(r, 5));
    }
    adapter.emitFrame({
      id: 257,
      extended: false,
      data: await encodeDemo(257, {
        ENGINE_SPEED: 2345.5,
        COOLANT_TEMP: 88,
        FUEL_LEVEL: 40,
        GEAR: 4,
      }),
    });

    const speedId = signalId('Vehicle.Speed');
    const engineId = signalId('Vehicle.Powertrain.CombustionEngine.Speed');
    const got = await eventually(
      () => {
        const up = decodeUplink(broker.received, 'slcan-veh-1');
        const all = up.telemetry.flatMap((b) => b.samples);
        const values = all.filter((s) => s.signalId === speedId);
        // The engine frame came last: it may travel in a later batch than the last speed.
        const engine = all.some((s) => s.signalId === engineId);
        return values.length >= speeds.length && engine ? up : undefined;
      },
      'all speeds and the engine speed at the broker',
      15_000,
    );
    const samples = got.telemetry.flatMap((b) => b.samples);
    expect(samples.filter((s) => s.signalId === speedId).map((s) => s.value)).toEqual(speeds);
    expect(samples.find((s) => s.signalId === engineId)?.value).toBe(2345.5);
    expect(
      samples.find((s) => s.signalId === signalId('Vehicle.Acceleration.Longitudinal'))?.value,
    ).toBe(-0.5);
    // Batched: fewer batches than frames, seqs from 1 upwards.
    expect(got.telemetry.length).toBeLessThan(speeds.length);
    expect(got.telemetry.map((b) => b.seq)).toEqual(got.telemetry.map((_, i) => i + 1));

    // Garbage from the adapter is counted and the stream goes on.
    adapter.injectGarbage('t12Zxyz');
    adapter.emitFrame({
      id: 256,
      extended: false,
      data: await encodeDemo(256, { SPEED: 99.99, ACCEL_LONG: 0, ACCEL_LAT: 0, ACCEL_VERT: 9.8 }),
    });
    await eventually(
      () =>
        decodeUplink(broker.received, 'slcan-veh-1').telemetry.some((b) =>
          b.samples.some((s) => s.value === 99.99),
        ),
      'the frame after the garbage',
      10_000,
    );
    const metrics = await (await fetch(`http://127.0.0.1:${agent.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(
      /fleetline_edge_input_errors_total\{input="can",code="EDGE_CAN_LINE_INVALID"\} [1-9]/,
    );
    expect(metrics).toMatch(/fleetline_edge_can_frames_total [1-9]/);
  });
});
