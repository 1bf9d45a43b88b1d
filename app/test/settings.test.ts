import { loadConfig, settings } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { appSettings } from '../src/settings.js';

describe('the app’s settings', () => {
  it('should read the simulated fleet of `npm start`, with its defaults', () => {
    const config = loadConfig({ env: { SIM_VEHICLES: '2' }, settings: appSettings });
    expect([config.simVehicles, config.simBatchIntervalMs]).toEqual([2, 1000]);
    expect(() =>
      loadConfig({ env: { SIM_BATCH_INTERVAL_MS: '10' }, settings: appSettings }),
    ).toThrow(/SIM_BATCH_INTERVAL_MS="10"/);
  });

  it('should be the app’s alone: the platform’s table knows nothing of the simulator', () => {
    expect(Object.values(settings).filter((s) => s.env.startsWith('SIM_'))).toEqual([]);
  });
});
