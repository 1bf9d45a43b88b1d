import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signalByName } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { repoRoot, Service } from '../../../test-support/process.js';
import { loadAgentConfig } from '../../src/agent/config.js';
import { cleanupAfterEachTest, decodeUplink, tempDir } from './support.js';

/**
 * The example configs in edge/examples are what a user runs first: each must validate, and the
 * replay example must deliver every signal it maps, stamped as live data.
 */

const examples = join(repoRoot, 'edge/examples');
const cleanup = cleanupAfterEachTest();

describe('edge examples', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json'));

  it.each(files)('%s should be a valid agent config', (file) => {
    expect(() => loadAgentConfig(join(examples, file))).not.toThrow();
  });

  it('replay.json should deliver every mapped signal with replayed times shifted to now', async () => {
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const dir = tempDir();
    // The example as shipped, pointed at a test broker, a temporary spool and any free port.
    const example = loadAgentConfig(join(examples, 'replay.json'));
    const config = {
      ...example,
      uplink: { ...example.uplink, url: broker.url, batchIntervalMs: 500 },
      spool: { dir: join(dir, 'spool') },
      metrics: { port: 0 },
    };
    writeFileSync(join(dir, 'agent.json'), JSON.stringify(config));
    const startedMs = Date.now();
    const agent = Service.start('agent', 'edge/bin/fleetline-edge.js', {}, [
      'run',
      '--config',
      join(dir, 'agent.json'),
    ]);
    cleanup(() => agent.stop());

    let missing = example.signals;
    const samples = await eventually(
      () => {
        const all = decodeUplink(broker.received, example.deviceId).telemetry.flatMap(
          (t) => t.samples,
        );
        const seen = new Set(all.map((s) => s.signalId));
        missing = example.signals.filter((s) => !seen.has(signalByName(s.to)?.id as number));
        return missing.length === 0 ? all : undefined;
      },
      () => `every mapped signal delivered (missing: ${missing.map((s) => s.to).join(', ')})`,
      20_000,
    );
    const nowMs = Date.now();
    for (const s of samples) {
      expect(s.timeMs).toBeGreaterThanOrEqual(startedMs - 1000);
      expect(s.timeMs).toBeLessThanOrEqual(nowMs);
    }
    // The GNSS capture was recorded in Dunedin; its positions are kept as recorded.
    const latitude = signalByName('Vehicle.CurrentLocation.Latitude')?.id;
    const lat = samples.find((s) => s.signalId === latitude)?.value as number;
    expect(lat).toBeCloseTo(-45.8775, 3);
    expect(await agent.stop()).toBe(0);
  }, 60_000);
});
