import { Readable } from 'node:stream';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_FOCUS_LIMITS,
  FocusLimitError,
  readFocusLimits,
} from './focusLimits';
import { parseFocusCsv } from './parseFocusCsv';

const HEADER = ['BilledCost', 'BillingCurrency', 'ChargePeriodStart', 'Tags'];
const row = (cost: string, tags: object) => [
  cost,
  'EUR',
  '2026-11-01T00:00:00Z',
  JSON.stringify(tags),
];
const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
const csv = (records: string[][]) =>
  `${records.map(r => r.map(csvField).join(',')).join('\n')}\n`;
/** What csv-parse measures a record by: the bytes of its fields, without delimiters and quotes. */
const recordBytes = (record: string[]) =>
  record.reduce((sum, field) => sum + Buffer.byteLength(field), 0);

// three data rows, the last one malformed (a row is counted good or not)
const RECORDS = [
  HEADER,
  row('1.25', { x_microapp: 'status-page' }),
  row('2', { x_microapp: 'status-page', note: `é${'x'.repeat(200)}\nline` }),
  row('bad', { x_microapp: 'status-page' }),
];
const CONTENT = csv(RECORDS);
const BYTES = Buffer.byteLength(CONTENT);
const LONGEST = Math.max(...RECORDS.map(recordBytes));

const limitError = (message: string) =>
  expect.objectContaining({ name: 'FocusLimitError', message });

describe('parseFocusCsv limits', () => {
  it('reads a file at every limit', async () => {
    let t = 0;
    const parsed = await parseFocusCsv(
      Readable.from([CONTENT.slice(0, 100), CONTENT.slice(100)]),
      {
        limits: {
          maxFileBytes: BYTES,
          maxRows: 3,
          maxRecordBytes: LONGEST,
          timeoutMs: 180_000,
        },
        // a minute passes per look at the clock: the third row is read 3 minutes in
        now: () => (t += 60_000),
      },
    );
    expect(parsed).toMatchObject({ rows: 3, allocatedRows: 2, errorCount: 1 });
    expect(parsed.totals.get('microapp:default/status-page')).toEqual(
      new Map([['2026-11', '3.25']]),
    );
  });

  it.each([
    [
      'maxFileBytes',
      { maxFileBytes: BYTES - 1 },
      `${BYTES} bytes read: over the limit of ${
        BYTES - 1
      } bytes (marketplace.cost.focus.limits.maxFileBytes)`,
    ],
    [
      'maxRows',
      { maxRows: 2 },
      '3 rows read: over the limit of 2 rows (marketplace.cost.focus.limits.maxRows)',
    ],
    [
      'maxRecordBytes',
      { maxRecordBytes: LONGEST - 1 },
      `the record at line 3: over the limit of ${
        LONGEST - 1
      } bytes (marketplace.cost.focus.limits.maxRecordBytes)`,
    ],
    [
      'timeoutMs',
      { timeoutMs: 179_999 },
      'still reading after 180000 ms: over the limit of 179999 ms (marketplace.cost.focus.limits.timeout)',
    ],
  ])('refuses the whole file one over %s', async (_, limits, message) => {
    let t = 0;
    const parsing = parseFocusCsv(
      Readable.from([CONTENT.slice(0, 100), CONTENT.slice(100)]),
      { limits, now: () => (t += 60_000) },
    );
    await expect(parsing).rejects.toThrow(FocusLimitError);
    await expect(parsing).rejects.toEqual(limitError(message));
  });

  it('counts the header against maxRecordBytes', async () => {
    const header = recordBytes(HEADER);
    await expect(
      parseFocusCsv(csv([HEADER]), { limits: { maxRecordBytes: header } }),
    ).resolves.toMatchObject({ rows: 0 });
    await expect(
      parseFocusCsv(csv([HEADER]), { limits: { maxRecordBytes: header - 1 } }),
    ).rejects.toThrow(/the record at line 1: over the limit of 45 bytes/);
  });

  it('ends a read that stalls when the time limit passes', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push(`${HEADER.join(',')}\n`);
    const started = Date.now();
    await expect(
      parseFocusCsv(stalled, { limits: { timeoutMs: 50 } }),
    ).rejects.toEqual(
      limitError(
        'not read completely in time: over the limit of 50 ms (marketplace.cost.focus.limits.timeout)',
      ),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stalled.destroyed).toBe(true);
  });

  it('is unbounded without limits', async () => {
    await expect(parseFocusCsv(CONTENT)).resolves.toMatchObject({ rows: 3 });
  });
});

describe('readFocusLimits', () => {
  const read = (limits: object) =>
    readFocusLimits(
      new ConfigReader({ marketplace: { cost: { focus: { limits } } } }),
    );

  it('defaults to 1 GiB, 10 million rows, 64 KiB records and 10 minutes', () => {
    expect(read({})).toEqual({
      maxFileBytes: 1073741824,
      maxRows: 10000000,
      maxRecordBytes: 65536,
      timeoutMs: 600000,
    });
    expect(DEFAULT_FOCUS_LIMITS).toEqual(read({}));
    expect(readFocusLimits(new ConfigReader({}))).toEqual(read({}));
  });

  it('takes whole numbers and a duration', () => {
    expect(
      read({
        maxFileBytes: 1024,
        maxRows: 1,
        maxRecordBytes: 1024,
        timeout: { seconds: 1 },
      }),
    ).toEqual({
      maxFileBytes: 1024,
      maxRows: 1,
      maxRecordBytes: 1024,
      timeoutMs: 1000,
    });
    expect(read({ timeout: 'PT24H' }).timeoutMs).toBe(86_400_000);
  });

  it.each([
    [
      { maxFileBytes: 1023 },
      /marketplace.cost.focus.limits.maxFileBytes must be a whole number of bytes from 1024 to \d+, got 1023/,
    ],
    [
      { maxRows: 0 },
      /marketplace.cost.focus.limits.maxRows must be a whole number of rows from 1 to \d+, got 0/,
    ],
    [
      { maxRows: 'many' },
      /marketplace.cost.focus.limits.maxRows .* got "many"/,
    ],
    [
      { maxRecordBytes: 100 },
      /marketplace.cost.focus.limits.maxRecordBytes must be a whole number of bytes from 1024/,
    ],
    [
      { timeout: 'soon' },
      /marketplace.cost.focus.limits.timeout must be a duration such as/,
    ],
    [
      { timeout: { milliseconds: 999 } },
      'marketplace.cost.focus.limits.timeout must be from 1 second to 24 hours, got 999 ms',
    ],
    [
      { timeout: { hours: 25 } },
      'marketplace.cost.focus.limits.timeout must be from 1 second to 24 hours, got 90000000 ms',
    ],
  ])('refuses %j naming the key', (limits, message) => {
    expect(() => read(limits)).toThrow(message);
  });
});
