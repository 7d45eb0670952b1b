import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { formatMicros, parseMicros } from './decimal';
import { FocusLimitError, type FocusLimits } from './focusLimits';

/** The default tag that names the app a FOCUS row is charged to. */
export const DEFAULT_TAG_KEY = 'x_microapp';
/** The default tag naming the cost center a row without the app tag is charged to. */
export const DEFAULT_COST_CENTER_TAG_KEY = 'x_cost_center';
/** The default FOCUS column read as the amount. */
export const DEFAULT_COST_COLUMN = 'BilledCost';
/** At most this many malformed rows are kept in `errors`; `errorCount` counts them all. */
export const DEFAULT_MAX_ERRORS = 1000;

export type FocusParseOptions = {
  /** The tag (a key of the JSON object in the `Tags` column) naming the app. Default `x_microapp`. */
  tagKey?: string;
  /** The tag naming the cost center of a row without the app tag. Default `x_cost_center`. */
  costCenterTagKey?: string;
  /** The column summed, e.g. `EffectiveCost`. Default `BilledCost`. */
  costColumn?: string;
  /** How many row errors are kept. Default 1000. */
  maxErrors?: number;
  /**
   * Bounds of the file; one that is passed rejects the whole parse with a `FocusLimitError`.
   * Each left out is unbounded.
   */
  limits?: Partial<FocusLimits>;
  /** The clock `limits.timeoutMs` is measured with, checked at every record. Default `Date.now`. */
  now?: () => number;
};

export type FocusRowError = { line: number; message: string };

export type FocusParseResult = {
  /** Sums per lower-case entity ref, per month (`YYYY-MM` of `ChargePeriodStart`, UTC), as exact decimal strings. */
  totals: Map<string, Map<string, string>>;
  /** Sums of the rows without the app tag but with a cost center tag, per cost center, per month. */
  costCenterTotals: Map<string, Map<string, string>>;
  /** Sums of the rows with neither tag, per month. */
  unallocated: Map<string, string>;
  /** The currency of the file: that of its first good row; undefined when it has none. */
  currency?: string;
  /** Data records read, good or not. */
  rows: number;
  /** Rows charged to an app. */
  allocatedRows: number;
  /** Rows without the app tag charged to a cost center. */
  costCenterRows: number;
  /** Rows with neither tag. */
  unallocatedRows: number;
  /** Malformed rows, skipped: the first `maxErrors`, in file order. */
  errors: FocusRowError[];
  errorCount: number;
};

const DATE =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of a FOCUS date-time; a time without a zone is UTC. NaN when malformed. */
export function parseFocusDate(value: string): number {
  const match = DATE.exec(value.trim());
  if (!match) return NaN;
  const [, day, time, zone] = match;
  if (!time) return Date.parse(`${day}T00:00:00Z`);
  // no zone is UTC; +0200 becomes +02:00
  const offset = (zone ?? 'Z').replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  return Date.parse(`${day}T${time}${offset}`);
}

class RowError extends Error {}

/**
 * Streams a FinOps FOCUS 1.x CSV export and sums its cost per app and month. A row is charged
 * to the app its tag names (an app name, or an entity ref); a row without it to the cost
 * center its cost center tag names; rows with neither are unallocated. Malformed rows (a bad number or date, bad `Tags` JSON, a wrong column count,
 * another currency than the file's) are reported by line number and skipped; the others are
 * kept. A header that lacks a required column rejects the file.
 */
export async function parseFocusCsv(
  input: Readable | string | Buffer,
  options: FocusParseOptions = {},
): Promise<FocusParseResult> {
  const tagKey = options.tagKey ?? DEFAULT_TAG_KEY;
  const costCenterTagKey =
    options.costCenterTagKey ?? DEFAULT_COST_CENTER_TAG_KEY;
  const costColumn = options.costColumn ?? DEFAULT_COST_COLUMN;
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const required = [costColumn, 'BillingCurrency', 'ChargePeriodStart', 'Tags'];
  const { maxFileBytes, maxRows, maxRecordBytes, timeoutMs } =
    options.limits ?? {};
  if (maxRecordBytes !== undefined && maxRecordBytes < 2) {
    // csv-parse takes 0 for no limit
    throw new RangeError(
      `maxRecordBytes must be at least 2, not ${maxRecordBytes}`,
    );
  }
  const now = options.now ?? Date.now;
  const started = now();

  const sums = new Map<string, Map<string, bigint>>();
  const centerSums = new Map<string, Map<string, bigint>>();
  const unallocatedSums = new Map<string, bigint>();
  const refs = new Map<string, string>();
  const errors: FocusRowError[] = [];
  let errorCount = 0;
  let rows = 0;
  let allocatedRows = 0;
  let costCenterRows = 0;
  let unallocatedRows = 0;
  let currency: string | undefined;

  const countRow = () => {
    rows += 1;
    if (maxRows !== undefined && rows > maxRows) {
      throw new FocusLimitError('maxRows', maxRows, `${rows} rows read`);
    }
  };

  const report = (line: number, message: string) => {
    errorCount += 1;
    if (errors.length < maxErrors) errors.push({ line, message });
  };

  const toRef = (value: string): string => {
    let ref = refs.get(value);
    if (ref === undefined) {
      try {
        ref = stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: 'MicroApp',
            defaultNamespace: 'default',
          }),
        ).toLocaleLowerCase('en-US');
      } catch {
        throw new RowError(
          `tag ${tagKey} is not an app or entity ref: ${value}`,
        );
      }
      refs.set(value, ref);
    }
    return ref;
  };

  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map(h => h.trim());
      const missing = required.filter(c => !names.includes(c));
      if (missing.length) {
        throw new Error(
          `Not a FOCUS export: missing column(s) ${missing.join(', ')}`,
        );
      }
      return names;
    },
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // csv-parse refuses a record only once it holds more than max_record_size + 1 bytes
    max_record_size: maxRecordBytes === undefined ? 0 : maxRecordBytes - 1,
    info: true,
    // what this throws ends the parse with it
    on_skip: (err: any) => {
      if (err?.code === 'CSV_MAX_RECORD_SIZE') {
        throw new FocusLimitError(
          'maxRecordBytes',
          maxRecordBytes!,
          `the record at line ${err.lines}`,
        );
      }
      countRow();
      report(
        Number(err?.lines ?? 0),
        err?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
          ? `wrong column count: ${err.record?.length ?? '?'} fields`
          : String(err?.message ?? err),
      );
    },
  });

  const source =
    typeof input === 'string' || Buffer.isBuffer(input)
      ? Readable.from([input])
      : input;
  const fail = (error: Error) => {
    source.unpipe(parser);
    source.destroy();
    parser.destroy(error);
  };
  source.on('error', err => parser.destroy(err));
  let bytes = 0;
  if (maxFileBytes !== undefined) {
    source.on('data', (chunk: string | Buffer) => {
      bytes +=
        typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > maxFileBytes) {
        fail(
          new FocusLimitError(
            'maxFileBytes',
            maxFileBytes,
            `${bytes} bytes read`,
          ),
        );
      }
    });
  }
  // the clock check below needs records; this one also ends a source that stalls
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            fail(
              new FocusLimitError(
                'timeoutMs',
                timeoutMs,
                'not read completely in time',
              ),
            ),
          timeoutMs,
        );
  source.pipe(parser);

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const elapsed = now() - started;
      if (timeoutMs !== undefined && elapsed > timeoutMs) {
        throw new FocusLimitError(
          'timeoutMs',
          timeoutMs,
          `still reading after ${elapsed} ms`,
        );
      }
      countRow();
      try {
        const amount = parseMicros(record[costColumn]);
        if (amount === undefined) {
          throw new RowError(
            `${costColumn} is not a number: ${JSON.stringify(
              record[costColumn],
            )}`,
          );
        }
        const rowCurrency = record.BillingCurrency.trim();
        if (!rowCurrency) throw new RowError('BillingCurrency is empty');
        if (currency !== undefined && rowCurrency !== currency) {
          throw new RowError(
            `BillingCurrency ${rowCurrency} differs from the file's ${currency}`,
          );
        }
        const start = parseFocusDate(record.ChargePeriodStart);
        if (Number.isNaN(start)) {
          throw new RowError(
            `ChargePeriodStart is not a date: ${JSON.stringify(
              record.ChargePeriodStart,
            )}`,
          );
        }
        const end = record.ChargePeriodEnd;
        if (end && Number.isNaN(parseFocusDate(end))) {
          throw new RowError(
            `ChargePeriodEnd is not a date: ${JSON.stringify(end)}`,
          );
        }
        let tags: unknown = {};
        if (record.Tags.trim()) {
          try {
            tags = JSON.parse(record.Tags);
          } catch {
            throw new RowError('Tags is not valid JSON');
          }
        }
        if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
          throw new RowError('Tags is not a JSON object');
        }
        const tag = (tags as Record<string, unknown>)[tagKey];
        if (tag !== undefined && tag !== null && typeof tag !== 'string') {
          throw new RowError(`tag ${tagKey} is not a string`);
        }
        const ref = tag?.trim() ? toRef(tag.trim()) : undefined;
        let center: string | undefined;
        if (ref === undefined) {
          // only read when it decides where the row goes
          const value = (tags as Record<string, unknown>)[costCenterTagKey];
          if (
            value !== undefined &&
            value !== null &&
            typeof value !== 'string'
          ) {
            throw new RowError(`tag ${costCenterTagKey} is not a string`);
          }
          center = value?.trim() || undefined;
        }

        currency ??= rowCurrency;
        const month = new Date(start).toISOString().slice(0, 7);
        if (center !== undefined) {
          costCenterRows += 1;
          let months = centerSums.get(center);
          if (!months) centerSums.set(center, (months = new Map()));
          months.set(month, (months.get(month) ?? 0n) + amount);
        } else if (ref === undefined) {
          unallocatedRows += 1;
          unallocatedSums.set(
            month,
            (unallocatedSums.get(month) ?? 0n) + amount,
          );
        } else {
          allocatedRows += 1;
          let months = sums.get(ref);
          if (!months) sums.set(ref, (months = new Map()));
          months.set(month, (months.get(month) ?? 0n) + amount);
        }
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        report(info.lines, e.message);
      }
    }
  } finally {
    clearTimeout(timer);
    // stops reading a file refused part way
    source.destroy();
  }

  // csv-parse reports skipped records before the iteration reaches the records read before them
  errors.sort((a, b) => a.line - b.line);
  const formatted = (bigSums: Map<string, Map<string, bigint>>) =>
    new Map(
      [...bigSums].map(
        ([key, months]) =>
          [
            key,
            new Map([...months].map(([m, v]) => [m, formatMicros(v)] as const)),
          ] as const,
      ),
    );
  return {
    totals: formatted(sums),
    costCenterTotals: formatted(centerSums),
    unallocated: new Map(
      [...unallocatedSums].map(([m, v]) => [m, formatMicros(v)] as const),
    ),
    currency,
    rows,
    allocatedRows,
    costCenterRows,
    unallocatedRows,
    errors,
    errorCount,
  };
}
