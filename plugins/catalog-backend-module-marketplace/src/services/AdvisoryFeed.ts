import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  loadOsvFolder,
  OsvIndex,
  parseOsvAdvisory,
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
    const { source, urlReader, limits } = this.options;
    if (/^https?:\/\//i.test(source)) {
      if (/\.zip(\?.*)?$/i.test(source)) {
        const response = await urlReader.readUrl(source);
        return parseOsvZip({ data: await response.buffer(), limits });
      }
      const tree = await urlReader.readTree(source, {
        filter: file => file.toLowerCase().endsWith('.json'),
      });
      const result: OsvLoadResult = { advisories: [], errors: [] };
      for (const file of await tree.files()) {
        try {
          result.advisories.push(
            parseOsvAdvisory({ data: await file.content() }),
          );
        } catch (error) {
          result.errors.push({ file: file.path, error: String(error) });
        }
      }
      return result;
    }
    const local = path.resolve(source);
    const stat = await fs.stat(local).catch(() => {
      throw new InputError(`${local} does not exist`);
    });
    if (stat.isDirectory()) {
      return loadOsvFolder({ dir: local, limits });
    }
    return parseOsvZip({ data: await fs.readFile(local), limits });
  }
}
