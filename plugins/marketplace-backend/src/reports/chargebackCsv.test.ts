import { parse } from 'csv-parse/sync';
import type { ChargebackReport } from '@microapps/plugin-marketplace-common';
import {
  chargebackCsv,
  CHARGEBACK_CSV_COLUMNS,
  neutralise,
} from './chargebackCsv';

const report: ChargebackReport = {
  month: '2026-11',
  currency: 'EUR',
  generatedAt: '2026-12-02T08:00:00.000Z',
  byCostCenter: [
    {
      key: 'CC-1',
      title: 'Platform, "core" and\nops',
      apps: 2,
      forecast: 1234.5,
      actual: 1250.01,
      variance: 15.51,
      variancePercent: 1.3,
      unallocated: 0.5,
    },
    {
      key: 'CC-9',
      apps: 0,
      forecast: 0,
      actual: 3,
      variance: 3,
      unallocated: 3,
    },
  ],
  byOwner: [
    {
      key: 'group:default/g1',
      apps: 2,
      forecast: 1234.5,
      actual: 1222.0,
      variance: -12.5,
      variancePercent: -1,
    },
  ],
  apps: [
    {
      entityRef: 'microapp:default/a',
      title: '=HYPERLINK("http://evil.example","click")',
      owner: 'group:default/g1',
      costCenter: 'CC-1',
      tier: 'vetted',
      forecast: 1234.49,
      actual: 1222,
      variance: -12.49,
      variancePercent: -1,
    },
    {
      entityRef: 'microapp:default/b',
      title: '-2+3',
      owner: 'group:default/g1',
      costCenter: 'CC-1',
      tier: 'discover',
      forecast: 0.01,
      actual: 0,
      variance: -0.01,
      variancePercent: -100,
    },
  ],
  totals: {
    apps: 2,
    forecast: 1234.5,
    actual: 1225,
    variance: -9.5,
    variancePercent: -0.8,
  },
};

describe('chargebackCsv', () => {
  const csv = chargebackCsv(report);
  const rows: string[][] = parse(csv, { bom: true });

  it('starts with a UTF-8 byte order mark and ends every line with CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    // 7 records; the only other line break is the one quoted inside a title
    expect(csv.split('\r\n')).toHaveLength(8);
    expect(csv.split('\n')).toHaveLength(9);
  });

  it('parses back with the columns, one section per group and a TOTAL row', () => {
    expect(rows[0]).toEqual([...CHARGEBACK_CSV_COLUMNS]);
    expect(rows[0]).toEqual([
      'group',
      'key',
      'title',
      'apps',
      'forecast',
      'actual',
      'variance',
      'variance %',
      'currency',
    ]);
    expect(rows.slice(1).map(r => [r[0], r[1]])).toEqual([
      ['cost center', 'CC-1'],
      ['cost center', 'CC-9'],
      ['owner', 'group:default/g1'],
      ['app', 'microapp:default/a'],
      ['app', 'microapp:default/b'],
      ['total', 'TOTAL'],
    ]);
    expect(rows.at(-1)).toEqual([
      'total',
      'TOTAL',
      'All apps, 2026-11',
      '2',
      '1234.50',
      '1225.00',
      '-9.50',
      '-0.8',
      'EUR',
    ]);
  });

  it('writes amounts with two decimals and a dot, no thousands separator, percent with one', () => {
    expect(rows[1].slice(3)).toEqual([
      '2',
      '1234.50',
      '1250.01',
      '15.51',
      '1.3',
      'EUR',
    ]);
    // no forecast: no percentage
    expect(rows[2].slice(3)).toEqual(['0', '0.00', '3.00', '3.00', '', 'EUR']);
    expect(rows[5].slice(3, 8)).toEqual([
      '1',
      '0.01',
      '0.00',
      '-0.01',
      '-100.0',
    ]);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(rows[1][2]).toBe('Platform, "core" and\nops');
    expect(csv).toContain('"Platform, ""core"" and\nops"');
  });

  it('neutralises text that a spreadsheet would run as a formula, but keeps negative numbers', () => {
    expect(rows[4][2]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[5][2]).toBe(`'-2+3`);
    // a negative variance stays a number
    expect(rows[4][6]).toBe('-12.49');
    expect(rows[3][6]).toBe('-12.50');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['Team -1', 'Team -1'],
    ['', ''],
  ])('neutralises %j as %j', (input, output) => {
    expect(neutralise(input)).toBe(output);
  });
});
