import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  chunked,
  emptyExpectation,
  generateFocusLines,
} from '../../__testUtils__/focusCsv';
import { parseFocusCsv, parseFocusDate } from './parseFocusCsv';

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceName,Tags';
const tags = (value: object) =>
  `"${JSON.stringify(value).replace(/"/g, '""')}"`;
const row = (
  billed: string,
  effective: string,
  start: string,
  tagValue: string,
  currency = 'EUR',
) =>
  [billed, effective, currency, start, '', 'res-1', 'Compute', tagValue].join(
    ',',
  );

const app = (name: string) => tags({ x_microapp: name, env: 'prod' });
const asObject = (totals: Map<string, Map<string, string>>) =>
  Object.fromEntries(
    [...totals].map(([ref, months]) => [ref, Object.fromEntries(months)]),
  );

describe('parseFocusCsv', () => {
  const small = [
    HEADER,
    row('1.10', '1.00', '2026-09-01T00:00:00Z', app('status-page')), // line 2
    row('2.20', '2.00', '2026-09-30T23:59:59Z', app('status-page')),
    row('0.333333', '0.3', '2026-10-01T00:00:00Z', app('status-page')),
    row(
      '10',
      '9',
      '2026-09-15T00:00:00Z',
      app('MicroApp:default/Vendor-Portal'),
    ), // line 5
    row('-1.5', '-1.5', '2026-09-20', app('vendor-portal')), // a credit
    row(
      '4',
      '4',
      '2026-09-20T10:00:00+02:00',
      tags({ x_cost_center: 'CC-1000' }),
    ), // untagged
    row('5', '5', '2026-10-02T00:00:00Z', ''), // no tags at all
  ].join('\n');

  it('sums per app and month, exactly, charges untagged rows to their cost center and counts the rest as unallocated', async () => {
    const result = await parseFocusCsv(small);
    expect(asObject(result.totals)).toEqual({
      'microapp:default/status-page': {
        '2026-09': '3.3',
        '2026-10': '0.333333',
      },
      'microapp:default/vendor-portal': { '2026-09': '8.5' },
    });
    expect(asObject(result.costCenterTotals)).toEqual({
      'CC-1000': { '2026-09': '4' },
    });
    expect(Object.fromEntries(result.unallocated)).toEqual({
      '2026-10': '5',
    });
    expect(result).toMatchObject({
      currency: 'EUR',
      rows: 7,
      allocatedRows: 5,
      costCenterRows: 1,
      unallocatedRows: 1,
      errors: [],
      errorCount: 0,
    });
  });

  it('charges a row to its app even when it names a cost center, and reads another cost center tag when configured', async () => {
    const csv = [
      HEADER,
      row(
        '1',
        '1',
        '2026-09-01T00:00:00Z',
        tags({ x_microapp: 'status-page', x_cost_center: 'CC-1000' }),
      ), // line 2
      row(
        '2',
        '2',
        '2026-09-02T00:00:00Z',
        tags({ x_cost_center: ' CC-4711 ' }),
      ),
      row('3', '3', '2026-09-03T00:00:00Z', tags({ x_cost_center: 'CC-4711' })),
      row(
        '4',
        '4',
        '2026-10-03T00:00:00Z',
        tags({ x_cost_center: 'CC-4711', cc: 'CC-9' }),
      ), // line 5
      row('5', '5', '2026-10-03T00:00:00Z', tags({ x_cost_center: '' })), // empty: unallocated
      row('6', '6', '2026-10-03T00:00:00Z', tags({ x_cost_center: 12 })), // not a string
      row(
        '7',
        '7',
        '2026-10-03T00:00:00Z',
        tags({ x_microapp: 'status-page', x_cost_center: 12 }),
      ), // the app decides
    ].join('\n');
    const result = await parseFocusCsv(csv);
    expect(asObject(result.totals)).toEqual({
      'microapp:default/status-page': { '2026-09': '1', '2026-10': '7' },
    });
    expect(asObject(result.costCenterTotals)).toEqual({
      'CC-4711': { '2026-09': '5', '2026-10': '4' },
    });
    expect(Object.fromEntries(result.unallocated)).toEqual({ '2026-10': '5' });
    expect(result.errors).toEqual([
      { line: 7, message: 'tag x_cost_center is not a string' },
    ]);
    expect(result).toMatchObject({
      rows: 7,
      allocatedRows: 2,
      costCenterRows: 3,
      unallocatedRows: 1,
    });

    const other = await parseFocusCsv(csv, { costCenterTagKey: 'cc' });
    expect(asObject(other.costCenterTotals)).toEqual({
      'CC-9': { '2026-10': '4' },
    });
    expect(other.errors).toEqual([]);
    expect(other).toMatchObject({ costCenterRows: 1, unallocatedRows: 4 });
  });

  it('sums another column and reads another tag when configured', async () => {
    const csv = `${small}\n${row(
      '7',
      '6',
      '2026-09-03T00:00:00Z',
      tags({ app: 'quote-builder' }),
    )}`;
    const result = await parseFocusCsv(Readable.from([csv]), {
      costColumn: 'EffectiveCost',
      tagKey: 'app',
    });
    expect(asObject(result.totals)).toEqual({
      'microapp:default/quote-builder': { '2026-09': '6' },
    });
    expect(result.unallocatedRows).toBe(6);
    expect(result.costCenterRows).toBe(1);
  });

  it('reports malformed rows by line number, skips them and keeps the others', async () => {
    const csv = [
      HEADER,
      row('1', '1', '2026-09-01T00:00:00Z', app('status-page')), // 2 ok
      row('1,5', '1', '2026-09-01T00:00:00Z', app('status-page')), // 3 column count
      row('abc', '1', '2026-09-01T00:00:00Z', app('status-page')), // 4 number
      row('', '1', '2026-09-01T00:00:00Z', app('status-page')), // 5 empty number
      row('1', '1', '2026-13-45T00:00:00Z', app('status-page')), // 6 date
      row('1', '1', 'yesterday', app('status-page')), // 7 date
      row('1', '1', '2026-09-01T00:00:00Z', '"{not json"'), // 8 tags
      row('1', '1', '2026-09-01T00:00:00Z', '"[1,2]"'), // 9 tags not an object
      row('1', '1', '2026-09-01T00:00:00Z', tags({ x_microapp: 42 })), // 10 tag not a string
      'too,few,fields', // 11 column count
      row('2', '2', '2026-09-02T00:00:00Z', app('status-page')), // 12 ok
    ].join('\n');
    const result = await parseFocusCsv(csv);
    expect(result.errors.map(e => e.line)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(result.errors[0].message).toMatch(/column count/);
    expect(result.errors[1].message).toBe('BilledCost is not a number: "abc"');
    expect(result.errors[3].message).toMatch(/ChargePeriodStart is not a date/);
    expect(result.errors[5].message).toBe('Tags is not valid JSON');
    expect(result.errors[6].message).toBe('Tags is not a JSON object');
    expect(result).toMatchObject({ rows: 11, allocatedRows: 2, errorCount: 9 });
    expect(asObject(result.totals)).toEqual({
      'microapp:default/status-page': { '2026-09': '3' },
    });
  });

  it('reports every row in another currency than the first good row', async () => {
    const csv = [
      HEADER,
      row('oops', '1', '2026-09-01T00:00:00Z', app('status-page'), 'USD'), // bad, sets nothing
      row('1', '1', '2026-09-01T00:00:00Z', app('status-page')),
      row('2', '2', '2026-09-01T00:00:00Z', app('status-page'), 'USD'),
      row('3', '3', '2026-09-01T00:00:00Z', app('status-page'), 'EUR'),
      row('4', '4', '2026-09-01T00:00:00Z', '', 'GBP'),
    ].join('\n');
    const result = await parseFocusCsv(csv);
    expect(result.currency).toBe('EUR');
    expect(result.errors).toEqual([
      { line: 2, message: 'BilledCost is not a number: "oops"' },
      { line: 4, message: "BillingCurrency USD differs from the file's EUR" },
      { line: 6, message: "BillingCurrency GBP differs from the file's EUR" },
    ]);
    expect(asObject(result.totals)).toEqual({
      'microapp:default/status-page': { '2026-09': '4' },
    });
  });

  it('rejects a file without the required columns', async () => {
    await expect(parseFocusCsv('Cost,Currency\n1,EUR\n')).rejects.toThrow(
      'Not a FOCUS export: missing column(s) BilledCost, BillingCurrency, ChargePeriodStart, Tags',
    );
  });

  it('handles a byte order mark, CRLF and empty lines', async () => {
    const csv = `\uFEFF${HEADER}\r\n${row(
      '1',
      '1',
      '2026-11-05T00:00:00Z',
      app('status-page'),
    )}\r\n\r\n${row('x', '1', '2026-11-05T00:00:00Z', '')}\r\n`;
    const result = await parseFocusCsv(csv);
    expect(asObject(result.totals)).toEqual({
      'microapp:default/status-page': { '2026-11': '1' },
    });
    expect(result.errors.map(e => e.line)).toEqual([4]);
  });

  it('reports a record spanning lines by the line it ends on', async () => {
    const multiline = '"{""x_microapp"": ""status-page"",\n""team"": ""a""}"';
    const csv = [
      HEADER,
      row('1', '1', '2026-11-05T00:00:00Z', multiline), // lines 2-3
      row('x', '1', '2026-11-05T00:00:00Z', multiline), // lines 4-5
    ].join('\n');
    const result = await parseFocusCsv(csv);
    expect(asObject(result.totals)).toEqual({
      'microapp:default/status-page': { '2026-11': '1' },
    });
    expect(result.errors.map(e => e.line)).toEqual([5]);
  });

  it('reads dates as UTC unless they carry a zone', () => {
    expect(parseFocusDate('2026-09-30 23:30:00')).toBe(
      Date.parse('2026-09-30T23:30:00Z'),
    );
    expect(parseFocusDate('2026-10-01T01:00:00+0200')).toBe(
      Date.parse('2026-09-30T23:00:00Z'),
    );
    expect(parseFocusDate('2026-10-01')).toBe(
      Date.parse('2026-10-01T00:00:00Z'),
    );
    expect(parseFocusDate('01/10/2026')).toBeNaN();
  });

  it('parses 100,000 rows with exact totals and the malformed rows reported', async () => {
    const expected = emptyExpectation();
    const lines = generateFocusLines(100_000, expected, { errorEvery: 997 });
    const result = await parseFocusCsv(Readable.from(chunked(lines)));
    expect(result.rows).toBe(100_000);
    expect(result.allocatedRows).toBe(expected.allocatedRows);
    expect(result.costCenterRows).toBe(expected.costCenterRows);
    expect(result.unallocatedRows).toBe(expected.unallocatedRows);
    expect(result.errorCount).toBe(expected.errorLines.length);
    expect(result.errors.map(e => e.line)).toEqual(expected.errorLines);
    const want = Object.fromEntries(
      [...expected.totals].map(([ref, months]) => [
        ref,
        Object.fromEntries(
          [...months].map(([m, micros]) => [
            m,
            (micros / 1e6).toFixed(6).replace(/\.?0+$/, ''),
          ]),
        ),
      ]),
    );
    expect(asObject(result.totals)).toEqual(want);
    expect(asObject(result.costCenterTotals)).toEqual({
      'CC-2200': Object.fromEntries(
        [...expected.costCenterTotals].map(([m, micros]) => [
          m,
          (micros / 1e6).toFixed(6).replace(/\.?0+$/, ''),
        ]),
      ),
    });
  }, 30_000); // about 6 s under jest, 1 s in node (see bench/focus.bench.ts)

  it('parses the example export of the example apps without errors', async () => {
    const file = path.resolve(
      __dirname,
      '../../../../../examples/costs/focus-2026-09-to-11.csv',
    );
    const result = await parseFocusCsv(fs.createReadStream(file));
    expect(result).toMatchObject({
      currency: 'EUR',
      rows: 411,
      allocatedRows: 396,
      costCenterRows: 12,
      unallocatedRows: 3,
      errors: [],
    });
    expect(result.totals.size).toBe(9);
    expect(
      Object.fromEntries(result.totals.get('microapp:default/quote-builder')!),
    ).toEqual({
      '2026-09': '5.500001',
      '2026-10': '7.000001',
      '2026-11': '10.500001',
    });
    // shared costs: the audit trail and NAT gateway of CC-1000, a reporting replica of
    // Finance (CC-4711) and a document bucket of HR (CC-5100); the support plan has no tag
    expect(asObject(result.costCenterTotals)).toEqual({
      'CC-1000': {
        '2026-09': '27.640198',
        '2026-10': '25.803468',
        '2026-11': '25.979171',
      },
      'CC-4711': {
        '2026-09': '18.42631',
        '2026-10': '18.902144',
        '2026-11': '19.37752',
      },
      'CC-5100': {
        '2026-09': '2.284716',
        '2026-10': '2.351093',
        '2026-11': '2.410387',
      },
    });
    expect(Object.fromEntries(result.unallocated)).toEqual({
      '2026-09': '29',
      '2026-10': '29',
      '2026-11': '29',
    });
  });
});
