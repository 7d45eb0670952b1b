import fs from 'node:fs';
import path from 'node:path';
import type {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import type {
  CostTotal,
  DatabaseCostStore,
  ReplaceCostsResult,
} from '../../database/DatabaseCostStore';
import {
  DEFAULT_COST_COLUMN,
  DEFAULT_TAG_KEY,
  FocusParseResult,
  parseFocusCsv,
} from './parseFocusCsv';

export type FocusImportConfig = {
  /** Absolute folder of the `*.csv` exports. */
  directory: string;
  tagKey: string;
  costColumn: string;
  importEvery: HumanDuration;
};

/** The summary of one imported file. */
export type FocusFileSummary = {
  file: string;
  rows: number;
  allocatedRows: number;
  unallocatedRows: number;
  errorCount: number;
  /** Line numbers of the first 10 malformed rows. */
  errorLines: number[];
  currency?: string;
  stored?: ReplaceCostsResult;
  /** Set when the file could not be read or parsed at all; nothing of it was stored. */
  failure?: string;
};

/**
 * `marketplace.cost.focus`, or undefined when no `directory` is set (then nothing is
 * imported). The directory is resolved against the working directory.
 */
export function readFocusImportConfig(
  config: RootConfigService,
): FocusImportConfig | undefined {
  const focus = config.getOptionalConfig('marketplace.cost.focus');
  const directory = focus?.getOptionalString('directory');
  if (!focus || !directory) return undefined;
  return {
    directory: path.resolve(process.cwd(), directory),
    tagKey: focus.getOptionalString('tagKey') ?? DEFAULT_TAG_KEY,
    costColumn: focus.getOptionalString('costColumn') ?? DEFAULT_COST_COLUMN,
    importEvery: focus.has('importEvery')
      ? readDurationFromConfig(focus, { key: 'importEvery' })
      : { hours: 6 },
  };
}

/**
 * Imports every `*.csv` FOCUS export of a folder: parses each, then replaces the totals
 * stored for that file name. Files are independent: one that fails is logged and the
 * others are still imported.
 */
export class FocusCostImporter {
  constructor(
    private readonly options: {
      store: Pick<DatabaseCostStore, 'replaceCosts'>;
      logger: LoggerService;
      config: Pick<FocusImportConfig, 'directory' | 'tagKey' | 'costColumn'>;
      now?: () => Date;
    },
  ) {}

  async importAll(): Promise<FocusFileSummary[]> {
    const { directory } = this.options.config;
    const files = (
      await fs.promises.readdir(directory, { withFileTypes: true })
    )
      .filter(e => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
      .map(e => e.name)
      .sort();
    const summaries: FocusFileSummary[] = [];
    for (const file of files) {
      summaries.push(await this.importFile(file));
    }
    return summaries;
  }

  private async importFile(file: string): Promise<FocusFileSummary> {
    const { store, logger, config } = this.options;
    let parsed: FocusParseResult;
    try {
      parsed = await parseFocusCsv(
        fs.createReadStream(path.join(config.directory, file)),
        { tagKey: config.tagKey, costColumn: config.costColumn },
      );
    } catch (e) {
      const failure = e instanceof Error ? e.message : String(e);
      logger.error(`Cost import of ${file} failed: ${failure}`);
      return {
        file,
        rows: 0,
        allocatedRows: 0,
        unallocatedRows: 0,
        errorCount: 0,
        errorLines: [],
        failure,
      };
    }
    const totals: CostTotal[] = [];
    for (const [entityRef, months] of parsed.totals) {
      for (const [month, amount] of months) {
        totals.push({
          entityRef,
          month,
          amount,
          currency: parsed.currency!,
        });
      }
    }
    const stored = await store.replaceCosts(
      file,
      totals,
      this.options.now?.() ?? new Date(),
    );
    const summary: FocusFileSummary = {
      file,
      rows: parsed.rows,
      allocatedRows: parsed.allocatedRows,
      unallocatedRows: parsed.unallocatedRows,
      errorCount: parsed.errorCount,
      errorLines: parsed.errors.slice(0, 10).map(e => e.line),
      currency: parsed.currency,
      stored,
    };
    const errorList = summary.errorCount
      ? ` (lines ${summary.errorLines.join(', ')}${
          summary.errorCount > 10 ? ', …' : ''
        })`
      : '';
    const message = `Cost import of ${file}: ${summary.rows} rows, ${summary.allocatedRows} allocated, ${summary.unallocatedRows} unallocated, ${summary.errorCount} errors${errorList}; ${stored.inserted} inserted, ${stored.updated} updated, ${stored.unchanged} unchanged, ${stored.deleted} deleted`;
    const meta = { ...summary, stored: undefined, ...stored };
    if (summary.errorCount) logger.warn(message, meta);
    else logger.info(message, meta);
    return summary;
  }
}

/**
 * Schedules the FOCUS import (task `marketplace-cost-import`, once per cluster) when
 * `marketplace.cost.focus.directory` is set; does nothing otherwise.
 */
export async function scheduleCostImportJob(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  store: DatabaseCostStore;
}): Promise<boolean> {
  const focus = readFocusImportConfig(options.config);
  if (!focus) return false;
  const importer = new FocusCostImporter({
    store: options.store,
    logger: options.logger,
    config: focus,
  });
  await options.scheduler.scheduleTask({
    id: 'marketplace-cost-import',
    scope: 'global',
    frequency: focus.importEvery,
    timeout: { minutes: 30 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      await importer.importAll();
    },
  });
  return true;
}
