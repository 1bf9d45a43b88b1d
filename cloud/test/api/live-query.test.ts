import { describe, expect, it } from 'vitest';
import { liveFilter } from '../../src/api/live-query.js';

describe('liveFilter', () => {
  it('should follow every device and both kinds when the query names none', () => {
    expect(liveFilter({})).toEqual({ deviceIds: undefined, kinds: new Set(['alerts', 'state']) });
  });

  it('should follow the devices named, once or repeated, and the kinds listed', () => {
    expect(liveFilter({ deviceId: 'veh-1', kinds: 'state' })).toEqual({
      deviceIds: new Set(['veh-1']),
      kinds: new Set(['state']),
    });
    expect(liveFilter({ deviceId: ['veh-1', 'veh-2', 'veh-1'], kinds: 'alerts,state' })).toEqual({
      deviceIds: new Set(['veh-1', 'veh-2']),
      kinds: new Set(['alerts', 'state']),
    });
  });
});
