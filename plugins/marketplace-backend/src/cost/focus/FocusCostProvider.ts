import fs from 'node:fs';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  CostBatch,
  CostProvider,
} from '@microapps/plugin-marketplace-node';
import type { FocusConfig } from '../costConfig';
import {
  DEFAULT_FOCUS_LIMITS,
  FocusLimitError,
  type FocusLimits,
} from './focusLimits';
import { FocusParseResult, parseFocusCsv } from './parseFocusCsv';

/** The id of the built-in FOCUS provider, and the prefix of its sources. */
export const FOCUS_PROVIDER_ID = 'focus';

/** The summary of one read file. */
export type FocusFileSummary = {
  file: string;
  /** `focus:<file>`; the source its totals are stored under. */
  source: string;
  rows: number;
  allocatedRows: number;
  costCenterRows: number;
  unallocatedRows: number;
  errorCount: number;
  /** Line numbers of the first 10 malformed rows. */
  errorLines: number[];
  currency?: string;
  /** Set when the file could not be read or parsed at all, or is over a limit; it yields no batch. */
  failure?: string;
};

const batchOf = (source: string, parsed: FocusParseResult): CostBatch => ({
  source,
  totals: [...parsed.totals].flatMap(([entityRef, months]) =>
    [...months].map(([month, amount]) => ({
      entityRef,
      month,
      amount,
      currency: parsed.currency!,
    })),
  ),
  costCenterTotals: [...parsed.costCenterTotals].flatMap(
    ([costCenter, months]) =>
      [...months].map(([month, amount]) => ({
        costCenter,
        month,
        amount,
        currency: parsed.currency!,
      })),
  ),
});

/**
 * The built-in cost provider: every `*.csv` FinOps FOCUS export of a folder is one batch,
 * with the source `focus:<file name>`. Files are independent: one that cannot be parsed, or
 * is over one of `limits`, is logged and yields no batch, so what was stored from it stays as
 * it was.
 */
export class FocusCostProvider implements CostProvider {
  readonly id = FOCUS_PROVIDER_ID;

  constructor(
    private readonly options: {
      config: FocusConfig;
      logger: LoggerService;
      /** `marketplace.cost.focus.limits`. Default `DEFAULT_FOCUS_LIMITS`. */
      limits?: FocusLimits;
      /** The clock of the time limit. Default `Date.now`. */
      now?: () => number;
    },
  ) {}

  async readCosts(): Promise<CostBatch[]> {
    const batches: CostBatch[] = [];
    for (const { batch } of await this.readFiles()) {
      if (batch) batches.push(batch);
    }
    return batches;
  }

  /** Every file's summary and (unless it failed) its batch, in file name order. */
  async readFiles(): Promise<
    Array<{ summary: FocusFileSummary; batch?: CostBatch }>
  > {
    const { directory } = this.options.config;
    const files = (
      await fs.promises.readdir(directory, { withFileTypes: true })
    )
      .filter(e => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
      .map(e => e.name)
      .sort();
    const out = [];
    for (const file of files) out.push(await this.readFile(file));
    return out;
  }

  private async readFile(
    file: string,
  ): Promise<{ summary: FocusFileSummary; batch?: CostBatch }> {
    const { logger, config, limits = DEFAULT_FOCUS_LIMITS, now } = this.options;
    const source = `${FOCUS_PROVIDER_ID}:${file}`;
    const filePath = path.join(config.directory, file);
    let parsed: FocusParseResult;
    try {
      // a file known to be too big is not read at all; the parser counts for the others
      const { size } = await fs.promises.stat(filePath);
      if (size > limits.maxFileBytes) {
        throw new FocusLimitError(
          'maxFileBytes',
          limits.maxFileBytes,
          `a file of ${size} bytes`,
        );
      }
      parsed = await parseFocusCsv(fs.createReadStream(filePath), {
        tagKey: config.tagKey,
        costCenterTagKey: config.costCenterTagKey,
        costColumn: config.costColumn,
        limits,
        now,
      });
    } catch (e) {
      const failure = e instanceof Error ? e.message : String(e);
      logger.error(
        e instanceof FocusLimitError
          ? `Cost import of ${file} refused, the costs stored from ${source} are kept: ${failure}`
          : `Cost import of ${file} failed: ${failure}`,
      );
      return {
        summary: {
          file,
          source,
          rows: 0,
          allocatedRows: 0,
          costCenterRows: 0,
          unallocatedRows: 0,
          errorCount: 0,
          errorLines: [],
          failure,
        },
      };
    }
    const summary: FocusFileSummary = {
      file,
      source,
      rows: parsed.rows,
      allocatedRows: parsed.allocatedRows,
      costCenterRows: parsed.costCenterRows,
      unallocatedRows: parsed.unallocatedRows,
      errorCount: parsed.errorCount,
      errorLines: parsed.errors.slice(0, 10).map(e => e.line),
      currency: parsed.currency,
    };
    const errorList = summary.errorCount
      ? ` (lines ${summary.errorLines.join(', ')}${
          summary.errorCount > 10 ? ', …' : ''
        })`
      : '';
    const message = `Cost import of ${file}: ${summary.rows} rows, ${summary.allocatedRows} allocated, ${summary.costCenterRows} to cost centers, ${summary.unallocatedRows} unallocated, ${summary.errorCount} errors${errorList}`;
    if (summary.errorCount) logger.warn(message, summary);
    else logger.info(message, summary);
    return { summary, batch: batchOf(source, parsed) };
  }
}
