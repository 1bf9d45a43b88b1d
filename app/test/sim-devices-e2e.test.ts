import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STANDARD_GRAVITY as G, type SignalName, signalId } from '@fleetline/proto';
import {
  agentDeviceConfig,
  demoDbcPath,
  distanceToRoute,
  loadDemoDbc,
  type Scenario,
  type SimulatedGnssEpoch,
  startVehicleDevices,
  type VehicleDevices,
} from '@fleetline/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCleanup } from '../../test-support/cleanup.js';
import { eventually } from '../../test-support/infra.js';
import type { Service } from '../../test-support/process.js';
import { type PtyPair, startPtyPair } from '../../test-support/pty.js';
import { startEdgeRig } from './support/edge-rig.js';

/**
 * A simulated vehicle's hardware end to end: the drive model behind an SLCAN adapter (CAN bus
 * on the demo DBC), a GPS receiver (NMEA) and an accelerometer board ($IMU at 100 Hz), each on
 * its own pseudo-terminal → the real edge agent (its own process; it detects collisions at the
 * IMU's rate) → the gateway → the processor → the telemetry database. A crash becomes a collision
 * alert with the position of the crash; potholes and hard braking become none.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sim-devices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Short drives: the vehicle pulls away at once (engine at 0.5 s) and is at town speed by 10 s.
const drives: Record<'crash' | 'rough', Omit<Scenario, 'startMs'>> = {
  crash: {
    seed: 61,
    deviceId: 'sim-dev-crash',
    engineStartMs: 500,
    coolantC: 88,
    events: [{ kind: 'crash', atMs: 13_000, direction: 'front' }],
  },
  rough: {
    seed: 62,
    deviceId: 'sim-dev-rough',
    engineStartMs: 500,
    coolantC: 88,
    events: [
      { kind: 'pothole', atMs: 9_000 },
      { kind: 'pothole', atMs: 11_500, peakG: 5, durationMs: 60 },
      { kind: 'hardBraking', atMs: 13_000 },
    ],
  },
};
/** The rough drive's last event is over (and its after-window) by then. */
const ROUGH_DONE_MS = 17_000;

describe('simulated vehicle hardware on pseudo-terminals → edge agent → cloud', () => {
  it('should raise a collision for a simulated crash, where it happened, and none for potholes and hard braking', async () => {
    const rig = await startEdgeRig(dir);
    const cleanup = new TestCleanup({ ignoreFailures: true });
    cleanup.defer(() => rig.close());
    const agents: Service[] = [];
    try {
      const dbc = await loadDemoDbc();
      const vehicles = new Map<
        string,
        { devices: VehicleDevices; epochs: SimulatedGnssEpoch[]; imuOverrun: number }
      >();
      for (const drive of Object.values(drives)) {
        const id = drive.deviceId as string;
        const ptys: PtyPair[] = [];
        for (let i = 0; i < 3; i++) {
          const pty = await startPtyPair();
          cleanup.defer(() => pty.stop());
          ptys.push(pty);
        }
        const [can, gnss, imu] = ptys as [PtyPair, PtyPair, PtyPair];
        const secret = await rig.register(id);
        // The agent first, so it holds the host ends when the devices start sending.
        const agent = rig.startAgent(id, secret, {
          ...agentDeviceConfig({
            can: { path: can.b, dbc: demoDbcPath },
            gnss: { path: gnss.b },
            imu: { path: imu.b },
          }),
          collection: {
            default: { kind: 'period', periodMs: 1000 },
            signals: {
              'Vehicle.CurrentLocation.Latitude': { kind: 'change', deadband: 0 },
              'Vehicle.CurrentLocation.Longitude': { kind: 'change', deadband: 0 },
            },
          },
        });
        agents.push(agent);
        const record = { epochs: [] as SimulatedGnssEpoch[], imuOverrun: 0 };
        const devices = await startVehicleDevices({
          scenario: drive,
          can: { path: can.a, dbc },
          gnss: { path: gnss.a, onEpoch: (e) => record.epochs.push(e) },
          imu: {
            path: imu.a,
            onLine: (_line, delivered) => {
              if (!delivered) record.imuOverrun++;
            },
          },
        });
        cleanup.defer(() => devices.close());
        vehicles.set(id, { devices, ...record });
      }
      const crashId = drives.crash.deviceId as string;
      const roughId = drives.rough.deviceId as string;
      const crash = vehicles.get(crashId)!;
      const rough = vehicles.get(roughId)!;
      const alertsOf = (deviceId: string) =>
        rig.recordsDb.listAlerts({
          deviceId,
          fromMs: Date.now() - 600_000,
          toMs: Date.now() + 600_000,
          limit: 100,
        });

      const collision = await eventually(
        async () => (await alertsOf(crashId)).find((a) => a.type === 'collision'),
        () => `the collision alert (crash drive at ${crash.devices.stats().driveMs} ms)`,
        40_000,
        200,
      );
      expect(crash.devices.model.state.crashed).toBe(true);
      expect(collision).toMatchObject({
        deviceId: crashId,
        type: 'collision',
        evidence: { source: 'edge', direction: 'front' },
      });
      // The 20–25 g pulse clips at the board's ±16 g; the edge saw most of it.
      const peakG = Number(collision.evidence.peakG);
      expect(peakG).toBeGreaterThan(8);
      expect(peakG).toBeLessThanOrEqual(16.01);
      // Placed by the GPS receiver: the latest fix the agent had read when it saw the crash —
      // the last one before it, or one of the seconds before when the receiver's lines came
      // in late on a loaded machine — and on the route.
      const crashAtMs = crash.devices.model.startMs + 13_000;
      const fixesBefore = crash.epochs.filter(
        (e) => e.timeMs <= crashAtMs && e.timeMs > crashAtMs - 3_000 && e.fix.valid,
      );
      expect(fixesBefore.length).toBeGreaterThan(0);
      const placedAt = fixesBefore.find(
        (e) =>
          Math.abs(Number(collision.evidence.latitude) - e.fix.latitude) < 5e-7 &&
          Math.abs(Number(collision.evidence.longitude) - e.fix.longitude) < 5e-7,
      );
      expect(placedAt, 'the collision is placed at a fix of the 3 s before it').toBeDefined();
      const at = [
        Number(collision.evidence.latitude),
        Number(collision.evidence.longitude),
      ] as const;
      expect(distanceToRoute(crash.devices.model.path, at)).toBeLessThan(1);

      // The rough drive: its potholes and braking have passed and its samples from after
      // them are stored; the edge reported no collision, and the cloud raised none.
      const stored = (deviceId: string, signal: SignalName) =>
        rig.telemetryDb.querySamples({
          deviceId,
          signalId: signalId(signal),
          fromMs: Date.now() - 600_000,
          toMs: Date.now() + 600_000,
          limit: 100_000,
        });
      await eventually(
        async () =>
          (await stored(roughId, 'Vehicle.Speed')).some(
            (s) => s.timeMs >= rough.devices.model.startMs + ROUGH_DONE_MS,
          ),
        () => `the rough drive's samples after its events (at ${rough.devices.stats().driveMs} ms)`,
        40_000,
        200,
      );
      const roughEvents = await rig.telemetryDb.listEvents({
        deviceId: roughId,
        fromMs: Date.now() - 600_000,
        toMs: Date.now() + 600_000,
        limit: 100,
      });
      expect(roughEvents.filter((e) => e.kind === 'collision')).toEqual([]);
      expect((await alertsOf(roughId)).filter((a) => a.type === 'collision')).toEqual([]);
      // The rough drive did hit its potholes: the vertical shock is in the stored samples'
      // neighbourhood only at full rate, so check the model felt them and the board sent them.
      expect(rough.devices.model.state.crashed).toBe(false);
      expect(rough.devices.stats().imu?.lines).toBeGreaterThan(1000);
      expect(rough.imuOverrun).toBe(0);

      // The GPS path: every stored position is a fix the receiver sent, to the NMEA field's
      // 1e-6 minute plus the catalogue's 1e-7 degree (half of each, rounded twice).
      const tolerance = 0.5e-6 / 60 + 0.5e-7 + 1e-12;
      for (const [id, v] of vehicles) {
        const byTime = new Map(v.epochs.map((e) => [e.timeMs, e.fix]));
        const lats = await stored(id, 'Vehicle.CurrentLocation.Latitude');
        const lons = await stored(id, 'Vehicle.CurrentLocation.Longitude');
        // A leg due west or east keeps the latitude: count the fixes that moved either way.
        expect(lats.length + lons.length, id).toBeGreaterThanOrEqual(10);
        for (const [rows, key] of [
          [lats, 'latitude'],
          [lons, 'longitude'],
        ] as const) {
          for (const row of rows) {
            const fix = byTime.get(row.timeMs);
            expect(fix, `${id} ${key} at ${row.timeMs}`).toBeDefined();
            expect(Math.abs(row.value - fix![key]), `${id} ${key}`).toBeLessThanOrEqual(tolerance);
          }
        }
      }
      // The IMU path: vertical acceleration is stored without gravity (the mapping's offset).
      const vertical = await stored(crashId, 'Vehicle.Acceleration.Vertical');
      expect(vertical.length).toBeGreaterThan(5);
      const magnitudes = vertical.map((s) => Math.abs(s.value)).sort((a, b) => a - b);
      expect(magnitudes[Math.floor(magnitudes.length / 2)]).toBeLessThan(G / 4);
      expect(rig.fatal).toEqual([]);

      for (const agent of agents) expect(await agent.stop()).toBe(0);
    } catch (err) {
      for (const agent of agents) console.error(agent.name, agent.tail(30));
      throw err;
    } finally {
      await cleanup.run();
    }
  }, 90_000);
});
