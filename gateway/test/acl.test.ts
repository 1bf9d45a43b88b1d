import { describe, expect, it } from 'vitest';
import { maySubscribe, publishTopicFor } from '../src/acl.js';

describe('topic rules', () => {
  it('should let a device publish only to its own telemetry, events and status', () => {
    for (const kind of ['telemetry', 'events', 'status']) {
      expect(publishTopicFor('veh-1', `v1/veh-1/${kind}`)).toEqual({ deviceId: 'veh-1', kind });
    }
    for (const topic of [
      'v1/veh-2/telemetry',
      'v1/veh-1/commands',
      'v1/veh-1',
      'v2/veh-1/telemetry',
      'v1/veh-1/telemetry/x',
    ]) {
      expect(publishTopicFor('veh-1', topic), topic).toBeUndefined();
    }
  });

  it('should let a device subscribe only to its own commands, without wildcards', () => {
    expect(maySubscribe('veh-1', 'v1/veh-1/commands')).toBe(true);
    for (const filter of [
      'v1/+/commands',
      'v1/#',
      '#',
      'v1/veh-1/+',
      'v1/veh-2/commands',
      'v1/veh-1/telemetry',
    ]) {
      expect(maySubscribe('veh-1', filter), filter).toBe(false);
    }
  });
});
