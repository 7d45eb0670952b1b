import { isError } from '@backstage/errors';
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

/** A file tree as UrlReader's `readTree` gives it. */
interface OsvTree {
  files(): Promise<Array<{ path: string; content(): Promise<Buffer> }>>;
}

/**
 * Reads the OSV advisories (`*.json`) of a tree that UrlReader reads (a folder of a source
 * host), under the same limits as a folder: `read` gets a filter for UrlReader's `readTree`,
 * which leaves out files over `maxEntryBytes` (reported in `errors`) and everything past
 * `maxEntries` or `maxTotalBytes` by the sizes the host declares, so that they are never
 * extracted; the sizes are checked again on the content, for readers that declare none.
 * More files than `maxEntries` or more bytes than `maxTotalBytes` refuse the tree with a
 * LimitExceededError naming the limit and its key.
 *
 * @internal
 */
export async function loadOsvTree(options: {
  read(
    filter: (path: string, info?: { size: number }) => boolean,
  ): Promise<OsvTree>;
  limits?: Partial<OsvLoadLimits>;
}): Promise<OsvLoadResult> {
  const limits = { ...DEFAULT_OSV_LOAD_LIMITS, ...options.limits };
  const tooMany = (count: number) =>
    new LimitExceededError(
      `The advisory tree holds ${count} files, more than the limit of ${limits.maxEntries} (${BOUND_KEYS.osv}.maxEntries)`,
      'maxEntries',
    );
  const tooLarge = () =>
    new LimitExceededError(
      `The advisory tree holds more than the limit of ${limits.maxTotalBytes} bytes (${BOUND_KEYS.osv}.maxTotalBytes)`,
      'maxTotalBytes',
    );
  const errors: OsvLoadError[] = [];
  const entryTooLarge = (file: string, size: number) =>
    errors.push({
      file,
      error: `is ${size} bytes, more than the limit of ${limits.maxEntryBytes} (${BOUND_KEYS.osv}.maxEntryBytes)`,
    });

  let count = 0;
  let declared = 0;
  const tree = await options.read((file, info) => {
    if (!file.toLowerCase().endsWith('.json')) return false;
    count += 1;
    if (count > limits.maxEntries) return false;
    if (info) {
      if (info.size > limits.maxEntryBytes) {
        entryTooLarge(file, info.size);
        return false;
      }
      declared += info.size;
    }
    return declared <= limits.maxTotalBytes;
  });
  if (count > limits.maxEntries) throw tooMany(count);
  if (declared > limits.maxTotalBytes) throw tooLarge();

  const files = (await tree.files()).filter(file =>
    file.path.toLowerCase().endsWith('.json'),
  );
  // for readers that ignore the filter
  if (files.length > limits.maxEntries) throw tooMany(files.length);
  const advisories: OsvAdvisory[] = [];
  let total = 0;
  for (const file of files) {
    const content = await file.content();
    total += content.length;
    if (total > limits.maxTotalBytes) throw tooLarge();
    if (content.length > limits.maxEntryBytes) {
      entryTooLarge(file.path, content.length);
      continue;
    }
    try {
      advisories.push(
        parseOsvAdvisory({ data: content, maxDepth: limits.maxDepth }),
      );
    } catch (error) {
      errors.push({
        file: file.path,
        error: isError(error) ? error.message : String(error),
      });
    }
  }
  return { advisories, errors };
}
