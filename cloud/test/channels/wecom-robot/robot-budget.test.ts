import { describe, expect, it } from 'vitest';
import { RobotBudgets } from '../../../src/channels/wecom-robot/robot-budget.js';

describe('RobotBudgets', () => {
  it('should let 20 posts through, then say how long until the oldest leaves the minute', () => {
    let now = 1_000_000;
    const budgets = new RobotBudgets(20, () => now);
    for (let i = 0; i < 20; i++) {
      expect(budgets.take('robot-a')).toBe(0);
      now += 1_000;
    }
    // Posts at 1,000,000 … 1,019,000; now 1,020,000: the first leaves at 1,060,000.
    expect(budgets.take('robot-a')).toBe(40_000);
    now = 1_059_999;
    expect(budgets.take('robot-a')).toBe(1);
    now = 1_060_000;
    expect(budgets.take('robot-a')).toBe(0);
    expect(budgets.take('robot-a')).toBe(1_000);
  });

  it('should keep each robot’s budget apart', () => {
    const budgets = new RobotBudgets(2, () => 0);
    expect([budgets.take('a'), budgets.take('a'), budgets.take('a')]).toEqual([0, 0, 60_000]);
    expect(budgets.take('b')).toBe(0);
  });

  it('should never let more than 20 posts into any 60 seconds, however they come', () => {
    let now = 0;
    const budgets = new RobotBudgets(20, () => now);
    const posted: number[] = [];
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      now += seed % 4_000; // arrivals 0–4 s apart: bursts and lulls
      if (budgets.take('r') === 0) posted.push(now);
    }
    for (let i = 20; i < posted.length; i++)
      expect((posted[i] ?? 0) - (posted[i - 20] ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(posted.length).toBeGreaterThan(500);
  });

  it('should spend the rest of the minute when WeCom refused with 45009 anyway', () => {
    let now = 5_000;
    const budgets = new RobotBudgets(20, () => now);
    expect(budgets.take('r')).toBe(0);
    budgets.exhaust('r');
    expect(budgets.take('r')).toBe(60_000);
    now += 60_000;
    expect(budgets.take('r')).toBe(0);
  });
});
