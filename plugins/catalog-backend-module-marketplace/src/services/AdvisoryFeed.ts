import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { startDeadline } from '../bounds/deadline';
import { BOUND_KEYS } from '../bounds/keys';
import { LimitExceededError } from '../bounds/LimitExceededError';
import { readBounded } from '../bounds/readBounded';
import {
  DEFAULT_OSV_FEED_TIMEOUT_MS,
  DEFAULT_OSV_LOAD_LIMITS,
  loadOsvFolder,
  loadOsvTree,
  OsvIndex,
  parseOsvZip,
  type OsvLoadLimits,
  type OsvLoadResult,
} from '../gates/vulnerabilities';

/**
 * The OSV advisories the `vulnerabilities` gate matches against, reloaded on a schedule.
 * The source is a folder of OSV JSON files or a zip as OSV publishes per ecosystem, given
 * as a path (relative to the backend's working directory, like catalog file locations) or
 * as a URL read through UrlReader (a zip, or a folder of a source host). A failed reload
 * keeps the previous index.
 *
 * Every load is bounded (`limits`, `marketplace.gates.vulnerabilities.limits`): files,
 * bytes of one file and of all, nesting depth of one advisory; the zip itself may be at
 * most `maxTotalBytes`. A URL must be read within `timeoutMs` (download and extraction;
 * parsing is bounded by the sizes): the read is aborted and the load fails with an error
 * naming the URL and the limit.
 */
export class AdvisoryFeed {
  private index?: OsvIndex;
  private lastError?: string;

  constructor(
    private readonly options: {
      source: string;
      urlReader: UrlReaderService;
      logger: LoggerService;
      limits?: Partial<OsvLoadLimits>;
      /** Time to read a URL feed; default {@link DEFAULT_OSV_FEED_TIMEOUT_MS}. */
      timeoutMs?: number;
    },
  ) {}

  getIndex(): OsvIndex | undefined {
    return this.index;
  }

  /** Why the last load failed, if it did. */
  getLastError(): string | undefined {
    return this.lastError;
  }

  async refresh(): Promise<void> {
    const { source, logger } = this.options;
    try {
      const loaded = await this.load();
      for (const skipped of loaded.errors.slice(0, 20)) {
        logger.warn(`Skipped advisory ${skipped.file}: ${skipped.error}`);
      }
      const index = OsvIndex.build({ advisories: loaded.advisories });
      if (index.version !== this.index?.version) {
        logger.info(
          `Loaded ${
            loaded.advisories.length
          } advisories from ${source} (version ${index.version.slice(0, 12)}, ${
            loaded.errors.length
          } skipped)`,
        );
      }
      this.index = index;
      this.lastError = undefined;
    } catch (error) {
      this.lastError = `Could not load the advisory feed ${source}: ${
        error instanceof Error ? error.message : error
      }`;
      logger.error(this.lastError);
    }
  }

  private async load(): Promise<OsvLoadResult> {
    const { source } = this.options;
    const limits = { ...DEFAULT_OSV_LOAD_LIMITS, ...this.options.limits };
    const zipTooLarge = () =>
      new LimitExceededError(
        `The zip ${source} is more than the limit of ${limits.maxTotalBytes} bytes (${BOUND_KEYS.osv}.maxTotalBytes)`,
        'maxTotalBytes',
      );
    if (/^https?:\/\//i.test(source)) {
      return this.loadUrl({ limits, zipTooLarge });
    }
    const local = path.resolve(source);
    const stat = await fs.stat(local).catch(() => {
      throw new InputError(`${local} does not exist`);
    });
    if (stat.isDirectory()) {
      return loadOsvFolder({ dir: local, limits });
    }
    if (stat.size > limits.maxTotalBytes) throw zipTooLarge();
    return parseOsvZip({ data: await fs.readFile(local), limits });
  }

  private async loadUrl(options: {
    limits: OsvLoadLimits;
    zipTooLarge: () => Error;
  }): Promise<OsvLoadResult> {
    const { source, urlReader } = this.options;
    const { limits, zipTooLarge } = options;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_OSV_FEED_TIMEOUT_MS;
    // the download is what can hang; parsing afterwards is bounded by the sizes
    const deadline = startDeadline({
      timeoutMs,
      error: () =>
        new LimitExceededError(
          `Reading ${source} took longer than the limit of ${timeoutMs} ms (${BOUND_KEYS.osv}.timeoutMs)`,
          'timeoutMs',
        ),
    });
    const { signal } = deadline;
    try {
      if (/\.zip(\?.*)?$/i.test(source)) {
        const data = await deadline.race(
          urlReader.readUrl(source, { signal }).then(response =>
            readBounded({
              response,
              maxBytes: limits.maxTotalBytes,
              tooLarge: zipTooLarge,
            }),
          ),
        );
        deadline.clear();
        return await parseOsvZip({ data, limits });
      }
      return await loadOsvTree({
        limits,
        read: async filter => {
          const tree = await deadline.race(
            urlReader.readTree(source, { filter, signal }),
          );
          const files = await deadline.race(tree.files());
          deadline.clear();
          return { files: async () => files };
        },
      });
    } finally {
      deadline.clear();
    }
  }
}
