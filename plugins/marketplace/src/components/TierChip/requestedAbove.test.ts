import { requestedAbove } from './requestedAbove';

describe('requestedAbove', () => {
  it('names a requested tier above the approved one only', () => {
    expect(requestedAbove('discover', 'vetted')).toBe('vetted');
    expect(requestedAbove('vetted', 'enterprise')).toBe('enterprise');
    // after a promotion spec.tier may still say discover: that asks for nothing
    expect(requestedAbove('vetted', 'discover')).toBeUndefined();
    expect(requestedAbove('vetted', 'vetted')).toBeUndefined();
    expect(requestedAbove('expired', 'vetted')).toBeUndefined();
  });
});
