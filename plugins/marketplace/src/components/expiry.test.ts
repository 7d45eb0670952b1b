import { expiryOf, expiryText } from './expiry';

describe('expiryOf', () => {
  const now = new Date(2027, 0, 16, 10, 0); // 16 Jan 2027, 10:00 local time

  it('counts calendar days to the expiry of a Discover app', () => {
    const expiry = expiryOf(
      {
        tier: 'discover',
        expiresAt: new Date(2027, 0, 28, 8, 0).toISOString(),
      },
      now,
    );
    expect(expiry).toEqual({ state: 'expires', days: 12, date: '28 Jan 2027' });
    expect(expiryText(expiry!)).toBe('expires in 12 days (28 Jan 2027)');
  });

  it('says one day, and today', () => {
    const tomorrow = expiryOf(
      { tier: 'discover', expiresAt: new Date(2027, 0, 17, 1).toISOString() },
      now,
    );
    expect(expiryText(tomorrow!)).toBe('expires in 1 day (17 Jan 2027)');
    const today = expiryOf(
      { tier: 'discover', expiresAt: new Date(2027, 0, 16, 18).toISOString() },
      now,
    );
    expect(expiryText(today!)).toBe('expires today');
  });

  it('treats a passed date as expired before the job records it', () => {
    const expiry = expiryOf(
      { tier: 'discover', expiresAt: new Date(2027, 0, 16, 9).toISOString() },
      now,
    );
    expect(expiryText(expiry!)).toBe(
      'Expired on 16 Jan 2027: hidden from the marketplace until renewed',
    );
  });

  it('reads an expired tier, with or without its date', () => {
    expect(
      expiryText(
        expiryOf(
          { tier: 'expired', expiresAt: new Date(2027, 0, 2).toISOString() },
          now,
        )!,
      ),
    ).toBe('Expired on 2 Jan 2027: hidden from the marketplace until renewed');
    expect(
      expiryText(expiryOf({ tier: 'expired', expiresAt: null }, now)!),
    ).toBe('Expired: hidden from the marketplace until renewed');
  });

  it('has nothing to say about apps above Discover or without a date', () => {
    expect(
      expiryOf({ tier: 'vetted', expiresAt: '2027-01-28T00:00:00Z' }, now),
    ).toBeUndefined();
    expect(
      expiryOf({ tier: 'discover', expiresAt: null }, now),
    ).toBeUndefined();
  });
});
