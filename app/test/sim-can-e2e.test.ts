import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbcCodec } from '@fleetline/edge';
import { type SignalName, signalId } from '@fleetline/proto';
import {
  agentSignalMappings,
  CanTraffic,
  demoCanMapping,
  demoDbcPath,
  loadDemoDbc,
  type SimulatedCanFrame,
  startSlcanCanSimulator,
} from '@fleetline/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCleanup } from '../../test-support/cleanup.js';
import { eventually } from '../../test-support/infra.js';
import type { Service } from '../../test-support/process.js';
import { startPtyPair } from '../../test-support/pty.js';
import { startEdgeRig } from './support/edge-rig.js';

/**
 * The simulator as a vehicle's CAN bus, end to end: the vehicle model encoded on the demo DBC,
 * served by a simulated SLCAN adapter on a pseudo-terminal → the real edge agent (its own
 * process, SLCAN source on the pty, the demo DBC and its mapping) → the gateway → the log →
 * the processor → the telemetry database. What is stored is what the simulator generated, within
 * each signal's DBC resolution.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sim-can-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEVICE = 'sim-can-0001';
const CHECKED: readonly SignalName[] = [
  'Vehicle.Speed',
  'Vehicle.Powertrain.CombustionEngine.Speed',
  'Vehicle.Powertrain.CombustionEngine.ECT',
  'Vehicle.Powertrain.FuelSystem.RelativeLevel',
  'Vehicle.LowVoltageBattery.CurrentVoltage',
];

describe('simulated CAN bus → SLCAN → edge agent → gateway → processor → telemetry database', () => {
  it('should store the values the simulator put on the bus, within the DBC resolution', async () => {
    const rig = await startEdgeRig(dir);
    const cleanup = new TestCleanup({ ignoreFailures: true });
    cleanup.defer(() => rig.close());
    let agent: Service | undefined;
    try {
      const telemetryDb = rig.telemetryDb;
      const secret = await rig.register(DEVICE);

      // The bus: the model on the demo DBC, live on the device end of a pty.
      const dbc = await loadDemoDbc();
      const codec = new DbcCodec(dbc);
      const pty = await startPtyPair();
      cleanup.defer(() => pty.stop());
      const sent: SimulatedCanFrame[] = [];
      const startMs = Date.now();
      const sim = await startSlcanCanSimulator(
        pty.a,
        new CanTraffic({
          dbc,
          seed: 20_261_125,
          startTimeMs: startMs,
          scenario: { engineStartMs: 500 },
        }),
        { onFrame: (frame, delivered) => delivered && sent.push(frame) },
      );
      cleanup.defer(() => sim.close());

      agent = rig.startAgent(DEVICE, secret, {
        can: {
          // Adapter time stamps: each frame keeps the time the simulator sent it at.
          source: { type: 'slcan', path: pty.b, bitrate: 500000, timestamps: true },
          dbc: demoDbcPath,
        },
        signals: agentSignalMappings(),
        // Every change of every signal.
        collection: { default: { kind: 'change', deadband: 0 } },
        crash: { enabled: false },
      });

      const stored = async (signal: SignalName) =>
        telemetryDb.querySamples({
          deviceId: DEVICE,
          signalId: signalId(signal),
          fromMs: startMs - 60_000,
          toMs: Date.now() + 60_000,
          limit: 100_000,
        });

      // Let the vehicle drive until the telemetry database holds a fair stretch of it.
      await eventually(
        async () => {
          const speeds = await stored('Vehicle.Speed');
          return speeds.length >= 40 && speeds.some((s) => s.value >= 20);
        },
        () => `the drive above 20 km/h in the telemetry database (${sent.length} frames sent)`,
        30_000,
      );
      sim.served.stop();
      expect(rig.fatal).toEqual([]);

      // What the agent should have sampled from the frames it was sent: every change of the
      // decoded (DBC-quantised) value, each next to the model value it came from.
      const expectedOf = (signal: SignalName) => {
        const m = demoCanMapping.find((x) => x.signal === signal);
        const out: { quantised: number; model: number }[] = [];
        for (const f of sent) {
          if (f.message !== m?.message) continue;
          const decoded = codec.lookup(f.id, f.extended)?.decode(f.data);
          const quantised = Number(decoded?.[m.dbcSignal]);
          const model = f.values[signal] as number;
          if (out.at(-1)?.quantised !== quantised) out.push({ quantised, model });
        }
        return out;
      };
      const resolution = (signal: SignalName) => {
        const m = demoCanMapping.find((x) => x.signal === signal);
        const s = dbc.messages
          .find((x) => x.name === m?.message)
          ?.signals.find((x) => x.name === m?.dbcSignal);
        return s ? Math.abs(s.scale) : 0;
      };

      for (const signal of CHECKED) {
        const expected = expectedOf(signal);
        // The last batch is flushed and processed after the bus stopped.
        const got = await eventually(
          async () => {
            const rows = await stored(signal);
            return rows.length >= expected.length ? rows : undefined;
          },
          `${expected.length} samples of ${signal}`,
          60_000,
        );
        expect(got.length, signal).toBe(expected.length);
        const half = resolution(signal) / 2 + 1e-9;
        got.forEach((row, i) => {
          const want = expected[i]!;
          expect(row.value, `${signal} #${i}`).toBeCloseTo(want.quantised, 9);
          expect(Math.abs(row.value - want.model), `${signal} #${i}`).toBeLessThanOrEqual(half);
        });
        // Stored in the order, and at the times (to the adapter's ms), the frames were sent.
        const times = got.map((r) => r.timeMs);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times[0]).toBeGreaterThanOrEqual(startMs - 1000);
      }
      // The drive moved: speed went above town pace.
      expect(Math.max(...expectedOf('Vehicle.Speed').map((e) => e.model))).toBeGreaterThan(20);

      expect(await agent.stop()).toBe(0);
    } catch (err) {
      if (agent) console.error(agent.tail(30));
      throw err;
    } finally {
      await cleanup.run();
    }
  }, 60_000);
});
