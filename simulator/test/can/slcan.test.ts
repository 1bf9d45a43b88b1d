import { parseCompactFrame } from '@fleetline/edge';
import { SlcanDevice } from '@fleetline/pty-devices';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { type PtyPair, startPtyPair } from '../../../test-support/pty.js';
import { loadDemoDbc } from '../../src/can/mapping.js';
import { serveCanTraffic, startSlcanCanSimulator } from '../../src/can/slcan.js';
import { CanTraffic, type SimulatedCanFrame } from '../../src/can/traffic.js';

/** `t1008…` → the `ID#DATA` text candump would show. */
function slcanToCompact(line: string): string {
  const id = line.slice(1, 4);
  const dlc = Number(line[4]);
  return `${id}#${line.slice(5, 5 + dlc * 2)}`;
}

describe('simulated CAN traffic over SLCAN', () => {
  it('should hand frames to an open SLCAN device as simulated time catches up', async () => {
    const dbc = await loadDemoDbc();
    let out = '';
    const device = new SlcanDevice((text) => {
      out += text;
    });
    let now = 1_800_000_000_000;
    const traffic = new CanTraffic({ dbc, seed: 9, startTimeMs: now });
    const expected = new CanTraffic({ dbc, seed: 9, startTimeMs: now }).framesUntil(1001);
    const seen: [SimulatedCanFrame, boolean][] = [];
    const served = serveCanTraffic(device, traffic, {
      clock: () => now,
      tickMs: 1,
      onFrame: (f, ok) => seen.push([f, ok]),
    });
    try {
      // Closed: the frames of t = 0 (one of each of the nine messages) go nowhere.
      expect(served.dropped).toBe(9);
      device.receive('S6\rO\r');
      out = '';
      now += 1000;
      await eventually(() => served.delivered === expected.length - 9, 'a second of frames');
      const lines = out.split('\r').filter((l) => l.startsWith('t'));
      expect(lines.map(slcanToCompact)).toEqual(
        expected
          .slice(9)
          .map(
            (f) =>
              `${f.id.toString(16).toUpperCase().padStart(3, '0')}#${Buffer.from(f.data).toString('hex').toUpperCase()}`,
          ),
      );
      expect(parseCompactFrame(slcanToCompact(lines[0]!), 0).id).toBe(expected[9]!.id);
      expect(seen.filter(([, ok]) => !ok)).toHaveLength(9);
    } finally {
      served.stop();
    }
  });

  it('should serve the bus on a pseudo-terminal', async () => {
    const dbc = await loadDemoDbc();
    const pty: PtyPair = await startPtyPair();
    const sim = await startSlcanCanSimulator(
      pty.a,
      new CanTraffic({ dbc, seed: 2, startTimeMs: Date.now() }),
    );
    try {
      expect(sim.adapter.path).toBe(pty.a);
      sim.adapter.device.receive('S6\rO\r');
      await eventually(() => sim.served.delivered >= 20, 'frames to the open channel', 5000);
    } finally {
      await sim.close();
      await pty.stop();
    }
  });
});
