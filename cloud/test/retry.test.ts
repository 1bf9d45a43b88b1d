import { createLogger } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { OutageGate } from '../src/retry.js';

const retryable = (message: string) => Object.assign(new Error(message), { retryable: true });
const logger = createLogger('test', 'silent');

describe('OutageGate', () => {
  it('should wait out retryable failures for as long as they last, then return the result', async () => {
    const gate = new OutageGate('store', logger, 1);
    let calls = 0;
    const result = await gate.run(async () => {
      if (++calls < 8) throw retryable('down');
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(calls).toBe(8);
    expect(gate.waiting).toBe(0);
  });

  it('should throw a failure that is not retryable at once', async () => {
    const gate = new OutageGate('store', logger, 1);
    let calls = 0;
    await expect(
      gate.run(async () => {
        calls++;
        throw new Error('bad row');
      }),
    ).rejects.toThrow('bad row');
    expect(calls).toBe(1);
  });

  it('should count the operations waiting and end every wait on stop with the last error', async () => {
    const gate = new OutageGate('store', logger, 1);
    let down = true;
    const op = async () => {
      if (down) throw retryable('still down');
      return 1;
    };
    const waits = [gate.run(op), gate.run(op)];
    await eventually(() => gate.waiting === 2, 'two operations waiting', 5_000, 5);
    gate.stop();
    for (const w of waits) await expect(w).rejects.toThrow('still down');
    expect(gate.waiting).toBe(0);
    // Once stopped, a new operation is not kept waiting either.
    await expect(gate.run(op)).rejects.toThrow('still down');
    down = false;
    await expect(gate.run(op)).resolves.toBe(1);
  });
});
