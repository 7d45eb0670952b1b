import { InputError } from '@backstage/errors';
import { Inflate } from 'fflate';
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
import {
  readZipDirectory,
  zipEntryDataRange,
  type ZipDirectoryEntry,
} from './readZipDirectory';

/** Compressed bytes fed to the inflater at a time: bounds what one step can produce. */
const CHUNK_BYTES = 16 * 1024;
/** Entries inflated between yields to the event loop. */
const ENTRIES_PER_TURN = 500;

/** Exact, so that a limit and one byte over it read differently; MiB for a quick look. */
function formatBytes(bytes: number) {
  return bytes >= 1024 * 1024
    ? `${bytes} bytes (${(bytes / 1024 / 1024).toFixed(1)} MiB)`
    : `${bytes} bytes`;
}

/** Inflates one entry, stopping as soon as it produces more than it declared. */
function inflateEntry(options: {
  data: Buffer;
  entry: ZipDirectoryEntry;
}): Uint8Array {
  const { data, entry } = options;
  const { start, end } = zipEntryDataRange({ data, entry });
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw new InputError(`'${entry.name}' is stored with inconsistent sizes`);
    }
    return data.subarray(start, end);
  }
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const overflow = new InputError(
    `The zip entry '${entry.name}' inflates to more than the ${formatBytes(
      entry.uncompressedSize,
    )} it declares; refusing the zip as a possible zip bomb`,
  );
  const inflater = new Inflate(chunk => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize) throw overflow;
    chunks.push(chunk);
  });
  for (let offset = start; offset < end; offset += CHUNK_BYTES) {
    const stop = Math.min(offset + CHUNK_BYTES, end);
    inflater.push(data.subarray(offset, stop), stop === end);
  }
  if (produced !== entry.uncompressedSize) {
    throw new Error(
      `inflates to ${produced} bytes instead of ${entry.uncompressedSize}`,
    );
  }
  return Buffer.concat(chunks);
}

/**
 * Reads OSV advisories from a zip as OSV publishes them per ecosystem (`all.zip`, one
 * `<ID>.json` per advisory). Counts and declared sizes are checked against the limits
 * before anything is inflated (a LimitExceededError naming the limit and its key), and
 * inflating stops when an entry produces more than it declared (an InputError), so a zip
 * bomb is refused before it takes memory. A broken advisory, or one nested deeper than
 * `maxDepth`, is skipped and reported in `errors`.
 *
 * @public
 */
export async function parseOsvZip(options: {
  data: Buffer;
  limits?: Partial<OsvLoadLimits>;
}): Promise<OsvLoadResult> {
  const { data } = options;
  const limits = { ...DEFAULT_OSV_LOAD_LIMITS, ...options.limits };
  const entries = readZipDirectory({ data, maxEntries: limits.maxEntries });

  let declared = 0;
  for (const entry of entries) {
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      throw new LimitExceededError(
        `The zip entry '${entry.name}' is ${formatBytes(
          entry.uncompressedSize,
        )} uncompressed, more than the limit of ${formatBytes(
          limits.maxEntryBytes,
        )} (${BOUND_KEYS.osv}.maxEntryBytes); refusing the zip`,
        'maxEntryBytes',
      );
    }
    declared += entry.uncompressedSize;
    if (declared > limits.maxTotalBytes) {
      throw new LimitExceededError(
        `The zip's entries add up to more than the limit of ${formatBytes(
          limits.maxTotalBytes,
        )} uncompressed (${BOUND_KEYS.osv}.maxTotalBytes); refusing the zip`,
        'maxTotalBytes',
      );
    }
  }

  const advisories: OsvAdvisory[] = [];
  const errors: OsvLoadError[] = [];
  let turn = 0;
  for (const entry of entries) {
    if (entry.name.endsWith('/') || !entry.name.toLowerCase().endsWith('.json'))
      continue;
    if (++turn % ENTRIES_PER_TURN === 0) {
      // A large feed takes seconds; let the backend serve requests meanwhile.
      await new Promise(resolve => setImmediate(resolve));
    }
    if (entry.encrypted || (entry.method !== 0 && entry.method !== 8)) {
      errors.push({
        file: entry.name,
        error: entry.encrypted
          ? 'is encrypted'
          : `uses unsupported compression ${entry.method}`,
      });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = inflateEntry({ data, entry });
    } catch (error) {
      if (error instanceof InputError) throw error;
      errors.push({
        file: entry.name,
        error: `cannot be inflated: ${(error as Error).message}`,
      });
      continue;
    }
    try {
      advisories.push(
        parseOsvAdvisory({ data: bytes, maxDepth: limits.maxDepth }),
      );
    } catch (error) {
      errors.push({ file: entry.name, error: (error as Error).message });
    }
  }
  return { advisories, errors };
}
