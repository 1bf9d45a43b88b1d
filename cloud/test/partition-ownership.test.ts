import { partitionForKey } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { PartitionOwnership } from '../src/partition-ownership.js';

const tps = (...partitions: number[]) => partitions.map((partition) => ({ topic: 't', partition }));

describe('partition ownership', () => {
  it('should own nothing before an assignment, then the vehicles of the partitions assigned', () => {
    const ownership = new PartitionOwnership(6);
    const id = 'veh-17';
    const home = partitionForKey(id, 6);
    expect(ownership.owns(id)).toBe(false);
    ownership.assign(tps(home));
    expect(ownership.owns(id)).toBe(true);
    ownership.assign(tps((home + 1) % 6));
    expect(ownership.owns(id)).toBe(false);
  });

  it('should place a vehicle heard from by the partition its records came on, until it is forgotten', () => {
    const ownership = new PartitionOwnership(6);
    const id = 'veh-17';
    const other = (partitionForKey(id, 6) + 1) % 6;
    ownership.assign(tps(other));
    ownership.heard(id, other);
    expect(ownership.owns(id)).toBe(true);
    ownership.keepOnly((key) => key !== id);
    expect(ownership.owns(id)).toBe(false);
  });

  it('should name the partitions owned, in order', () => {
    const ownership = new PartitionOwnership(6);
    ownership.assign([...tps(4, 0, 2), ...tps(2)]);
    expect(ownership.partitionsOwned).toEqual([0, 2, 4]);
  });
});
