import type { ChargebackReport } from '@microapps/plugin-marketplace-common';

/** The columns of the chargeback CSV, in order. */
export const CHARGEBACK_CSV_COLUMNS = [
  'group',
  'key',
  'title',
  'apps',
  'forecast',
  'actual',
  'variance',
  'variance %',
  'currency',
] as const;

/** A cell we write: text from the catalog or config, or a number we formatted. */
type Cell = { text: string } | { number: string };

/** Characters that make a spreadsheet read a cell as a formula (or hide its start). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell as a spreadsheet must show it: one that starts like a formula gets a leading
 * apostrophe (OWASP "CSV injection"). Numbers are never text cells, so `-12.50` stays a number.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const text = (value: string | undefined): Cell => ({ text: value ?? '' });
const money = (value: number): Cell => ({ number: value.toFixed(2) });
const percent = (value: number | undefined): Cell =>
  value === undefined ? { text: '' } : { number: value.toFixed(1) };
const count = (value: number): Cell => ({ number: String(value) });

/**
 * The report as CSV for spreadsheets: a UTF-8 byte order mark (Excel reads UTF-8 only with
 * it), a header row, one section per group (cost center, owner, app, each biggest overspend
 * first) and a TOTAL row; CRLF line ends, amounts with two decimals and a dot, percentages
 * with one, no thousands separators.
 */
export function chargebackCsv(report: ChargebackReport): string {
  const { currency } = report;
  const rows: Cell[][] = [
    ...report.byCostCenter.map(r => [
      text('cost center'),
      text(r.key),
      text(r.title),
      count(r.apps),
      money(r.forecast),
      money(r.actual),
      money(r.variance),
      percent(r.variancePercent),
      text(currency),
    ]),
    ...report.byOwner.map(r => [
      text('owner'),
      text(r.key),
      text(r.title),
      count(r.apps),
      money(r.forecast),
      money(r.actual),
      money(r.variance),
      percent(r.variancePercent),
      text(currency),
    ]),
    ...report.apps.map(a => [
      text('app'),
      text(a.entityRef),
      text(a.title),
      count(1),
      money(a.forecast),
      money(a.actual),
      money(a.variance),
      percent(a.variancePercent),
      text(currency),
    ]),
    [
      text('total'),
      text('TOTAL'),
      text(`All apps, ${report.month}`),
      count(report.totals.apps),
      money(report.totals.forecast),
      money(report.totals.actual),
      money(report.totals.variance),
      percent(report.totals.variancePercent),
      text(currency),
    ],
  ];
  const lines = [
    CHARGEBACK_CSV_COLUMNS.map(field).join(','),
    ...rows.map(cells =>
      cells
        .map(c => field('number' in c ? c.number : neutralise(c.text)))
        .join(','),
    ),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
