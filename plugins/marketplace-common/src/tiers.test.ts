import { compareTiers, getTier, isTierId, TIERS } from './tiers';

describe('tiers', () => {
  it('orders Discover below Vetted below Enterprise', () => {
    expect(TIERS.map(t => `${t.order}:${t.id}:${t.title}`)).toEqual([
      '0:discover:Discover',
      '1:vetted:Vetted',
      '2:enterprise:Enterprise',
    ]);
    expect(compareTiers('discover', 'vetted')).toBeLessThan(0);
    expect(compareTiers('enterprise', 'vetted')).toBeGreaterThan(0);
    expect(compareTiers('vetted', 'vetted')).toBe(0);
  });

  it('makes only Discover soft', () => {
    expect(TIERS.filter(t => t.enforcement === 'soft').map(t => t.id)).toEqual([
      'discover',
    ]);
  });

  it('recognises tier ids and refuses others', () => {
    expect(isTierId('vetted')).toBe(true);
    expect(isTierId('Vetted')).toBe(false);
    expect(isTierId('expired')).toBe(false);
    expect(() => getTier('gold' as any)).toThrow("Unknown tier 'gold'");
  });
});
