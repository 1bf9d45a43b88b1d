import { describe, expect, it } from 'vitest';
import { STANDARD_GRAVITY } from '../src/index.js';

describe('STANDARD_GRAVITY', () => {
  it('should be the defined 9.80665 m/s²', () => {
    expect(STANDARD_GRAVITY).toBe(9.80665);
  });
});
