import { addMonths } from '../months';
import { exceeds, limitOf, percentOver, roundToCents } from './money';

const m = (n: number) => BigInt(Math.round(n * 1e6));

describe('cost arithmetic', () => {
  it('fires a threshold only strictly above limit × (1 + t/100), exactly', () => {
    expect(exceeds(m(50), m(40), 25)).toBe(false); // exactly 25 % over
    expect(exceeds(m(50.000001), m(40), 25)).toBe(true);
    expect(exceeds(m(100), m(40), 100)).toBe(true);
    expect(exceeds(m(80), m(40), 100)).toBe(false);
    expect(exceeds(m(45.000001), m(40), 12.5)).toBe(true);
    expect(exceeds(m(45), m(40), 12.5)).toBe(false);
    // a limit of 0: any cost is over every threshold, no cost is not
    expect(exceeds(m(0.01), 0n, 100)).toBe(true);
    expect(exceeds(0n, 0n, 25)).toBe(false);
  });

  it('rounds variance to cents and percent to one decimal, half away from zero', () => {
    expect(roundToCents(m(60))).toBe(60);
    expect(roundToCents(m(0.005))).toBe(0.01);
    expect(roundToCents(m(0.004999))).toBe(0);
    expect(roundToCents(m(-0.005))).toBe(-0.01);
    expect(roundToCents(m(-0.001))).toBe(0);
    expect(percentOver(m(100), m(40))).toBe(150);
    expect(percentOver(m(30), m(40))).toBe(-25);
    expect(percentOver(m(1), m(3))).toBe(-66.7);
    expect(percentOver(m(2), m(3))).toBe(-33.3);
    expect(percentOver(m(40.02), m(40))).toBe(0.1); // 0.05 % rounds up
    expect(percentOver(m(39.98), m(40))).toBe(-0.1);
    expect(percentOver(m(5), 0n)).toBeUndefined();
  });

  it('takes the budget as the limit when there is one', () => {
    const budget = {
      amount: 55.5,
      currency: 'EUR',
      approvedBy: 'user:default/bea',
      approvedAt: '2026-11-01T00:00:00.000Z',
      promotionId: 'p',
    };
    expect(limitOf(budget, 40)).toEqual({ micros: m(55.5), kind: 'budget' });
    expect(limitOf(undefined, 40)).toEqual({ micros: m(40), kind: 'forecast' });
    expect(limitOf(undefined, 'lots')).toBeUndefined();
    expect(limitOf(undefined, -1)).toBeUndefined();
  });

  it('counts months across years', () => {
    expect(addMonths('2026-01', -2)).toBe('2025-11');
    expect(addMonths('2026-11', 2)).toBe('2027-01');
  });
});
