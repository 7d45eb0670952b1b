import fs from 'node:fs/promises';
import path from 'node:path';
import { BOUND_KEYS } from '../../../bounds/keys';
import { LimitExceededError } from '../../../bounds/LimitExceededError';
import type { OsvAdvisory } from './OsvAdvisory';
import {
  DEFAULT_OSV_LOAD_LIMITS,
  type OsvLoadError,
  type OsvLoadLimits,
  type OsvLoadResult,
} from './osvLoadLimits';
import { parseOsvAdvisory } from './parseOsvAdvisory';

/** Files read at once. */
const PARALLEL_READS = 32;

/**
 * Reads the OSV advisories (`*.json`) of a folder, not recursively. A file that is too
 * large or nested too deeply, not JSON or not an advisory is skipped and reported in
 * `errors`; more files than `maxEntries` or more bytes than `maxTotalBytes` refuse the
 * folder with a LimitExceededError naming the limit and its key.
 *
 * @public
 */
export async function loadOsvFolder(options: {
  dir: string;
  limits?: Partial<OsvLoadLimits>;
}): Promise<OsvLoadResult> {
  const { dir } = options;
  const limits = { ...DEFAULT_OSV_LOAD_LIMITS, ...options.limits };
  const names = (await fs.readdir(dir, { withFileTypes: true }))
    .filter(e => e.isFile() && e.name.toLowerCase().endsWith('.json'))
    .map(e => e.name)
    .sort();
  if (names.length > limits.maxEntries) {
    throw new LimitExceededError(
      `The advisory folder ${dir} holds ${names.length} files, more than the limit of ${limits.maxEntries} (${BOUND_KEYS.osv}.maxEntries)`,
      'maxEntries',
    );
  }

  const advisories: OsvAdvisory[] = [];
  const errors: OsvLoadError[] = [];
  let total = 0;
  for (let i = 0; i < names.length; i += PARALLEL_READS) {
    const batch = names.slice(i, i + PARALLEL_READS);
    const results = await Promise.all(
      batch.map(async file => {
        const full = path.join(dir, file);
        const { size } = await fs.stat(full);
        if (size > limits.maxEntryBytes) {
          return {
            file,
            size,
            error: `is ${size} bytes, more than the limit of ${limits.maxEntryBytes} (${BOUND_KEYS.osv}.maxEntryBytes)`,
          };
        }
        return { file, size, data: await fs.readFile(full) };
      }),
    );
    for (const result of results) {
      total += result.size;
      if (total > limits.maxTotalBytes) {
        throw new LimitExceededError(
          `The advisory folder ${dir} holds more than the limit of ${limits.maxTotalBytes} bytes (${BOUND_KEYS.osv}.maxTotalBytes)`,
          'maxTotalBytes',
        );
      }
      if (!result.data) {
        errors.push({ file: result.file, error: result.error! });
        continue;
      }
      try {
        advisories.push(
          parseOsvAdvisory({ data: result.data, maxDepth: limits.maxDepth }),
        );
      } catch (error) {
        errors.push({ file: result.file, error: (error as Error).message });
      }
    }
  }
  return { advisories, errors };
}
