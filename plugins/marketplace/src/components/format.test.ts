import {
  formatMinutes,
  formatMoney,
  formatMonth,
  formatPercent,
} from './format';
import {
  alertsText,
  breachesText,
  flagText,
  slaTargetText,
  varianceText,
} from './operationsText';

describe('format', () => {
  it('writes money in the currency, signed when asked', () => {
    expect(formatMoney(31.2, 'EUR')).toBe('€31.20');
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney(3.6, 'EUR', { signed: true })).toBe('+€3.60');
    expect(formatMoney(-8.8, 'EUR', { signed: true })).toBe('-€8.80');
    expect(formatMoney(0, 'EUR', { signed: true })).toBe('€0.00');
  });

  it('writes percentages with a space and at most the decimals asked', () => {
    expect(formatPercent(12)).toBe('12 %');
    expect(formatPercent(12.46, { signed: true })).toBe('+12.5 %');
    expect(formatPercent(-3, { signed: true })).toBe('-3 %');
    expect(formatPercent(99.9512, { digits: 3 })).toBe('99.951 %');
  });

  it('writes minutes as days, hours and minutes', () => {
    expect(formatMinutes(0.4)).toBe('under 1 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(12.6)).toBe('13 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(1440)).toBe('1 d');
    expect(formatMinutes(1440 + 180 + 5)).toBe('1 d 3 h');
  });

  it('writes a month in words', () => {
    expect(formatMonth('2026-12')).toBe('December 2026');
    expect(formatMonth('2027-01')).toBe('January 2027');
    expect(formatMonth('soon')).toBe('soon');
  });
});

describe('operations text', () => {
  const cost = {
    month: '2026-12',
    actual: 44.8,
    limit: 40,
    limitKind: 'forecast' as const,
    variance: 4.8,
    variancePercent: 12,
    state: 'over' as const,
    alertsFired: [],
  };

  it('says the variance in money and percent, with over or within the limit', () => {
    expect(varianceText(cost, 'EUR')).toBe('+€4.80 (+12 %), over forecast');
    expect(
      varianceText(
        {
          ...cost,
          actual: 31,
          variance: -9,
          variancePercent: -22.5,
          state: 'within',
          limitKind: 'budget',
        },
        'EUR',
      ),
    ).toBe('-€9.00 (-22.5 %), within budget');
    // no percent against a limit of 0
    expect(
      varianceText(
        { ...cost, limit: 0, variance: 44.8, variancePercent: undefined },
        'EUR',
      ),
    ).toBe('+€44.80, over forecast');
    expect(
      varianceText(
        { ...cost, actual: undefined, state: 'no-data', variance: undefined },
        'EUR',
      ),
    ).toBeUndefined();
  });

  it('lists the alerts fired', () => {
    expect(alertsText(cost)).toBe('No overrun alert this month');
    expect(alertsText({ ...cost, alertsFired: [25] })).toBe(
      'Alert fired: 25 % over forecast',
    );
    expect(alertsText({ ...cost, alertsFired: [25, 50, 100] })).toBe(
      'Alerts fired: 25 %, 50 % and 100 % over forecast',
    );
  });

  it('writes the SLA target and its breaches', () => {
    expect(slaTargetText('S1', 60)).toBe('S1 · respond within 1 h');
    expect(slaTargetText('S9')).toBe('S9');
    expect(breachesText(0, 60)).toBe('No breaches');
    expect(breachesText(1, 60)).toBe('1 breach of the 1 h target');
    expect(breachesText(2, 240)).toBe('2 breaches of the 4 h target');
  });

  it('says why a listing needs attention', () => {
    expect(flagText('no-runbook')).toBe('Enterprise listing without a runbook');
    expect(flagText('no-roster')).toBe(
      'Enterprise listing without an on-call roster',
    );
    expect(flagText('idle')).toBe('Idle: no recent activity');
    expect(
      flagText('idle', { at: '2026-10-03T12:00:00.000Z', signal: 'usage' }),
    ).toBe('Idle: no activity since 3 Oct 2026 (usage)');
  });
});
