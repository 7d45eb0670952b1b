import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotModifiedError,
} from '@backstage/errors';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import type {
  GateFile,
  GateReader,
  GateTree,
} from '@microapps/plugin-marketplace-node';
import { startDeadline, type Deadline } from '../bounds/deadline';
import { BOUND_KEYS } from '../bounds/keys';
import { LimitExceededError } from '../bounds/LimitExceededError';
import { readBounded } from '../bounds/readBounded';
import { LookupAll, refuseInternalTargets } from './refuseInternalTargets';

/** Default bound of one file read for a gate. */
export const DEFAULT_MAX_READ_BYTES = 20 * 1024 * 1024;

/**
 * Default time one read of an entity's target may take (`marketplace.reading.timeoutMs`):
 * below the 20 s a gate has per app, so that the gate's error names the target.
 */
export const DEFAULT_READ_TIMEOUT_MS = 15_000;

/**
 * Reads what an entity points at, relative to the location the entity came from.
 *
 * - Targets of an entity read from a `url` location, and absolute http(s) URLs, go through
 *   Backstage's UrlReader, so `backend.reading.allow` and the integrations apply. Before
 *   that, URLs that point at this machine, link-local addresses or cloud metadata services
 *   are refused (`refuseInternalTargets`) unless `allowInternalTargets` is set.
 * - Targets of an entity read from a `file` location are files inside that location's
 *   folder. UrlReader has no reader for local files; this reader refuses paths that leave the
 *   folder, then resolves symlinks and refuses anything whose real path is outside it, so an
 *   entity cannot read the rest of the disk.
 * - Other schemes (`file:`, `ftp:`, ...) are refused.
 *
 * Every read is bounded in bytes and in time (`timeoutMs`, from the DNS check to the last
 * byte, and for a tree until its files are listed) and fails with an error naming the
 * target. The time limit aborts UrlReader's request through its `signal`, and does not wait
 * for readers that ignore it.
 */
export function createEntityReader(options: {
  urlReader: UrlReaderService;
  location: LocationSpec;
  maxBytes?: number;
  /** Time one read may take; default {@link DEFAULT_READ_TIMEOUT_MS}. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Reads URLs on loopback, link-local and metadata addresses too. Default false. */
  allowInternalTargets?: boolean;
  /** DNS lookup for the internal-target check; tests replace it. */
  lookup?: LookupAll;
}): GateReader {
  const { urlReader, location } = options;
  const defaultMax = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;

  const deadlineFor = (target: string): Deadline =>
    startDeadline({
      timeoutMs,
      signal: options.signal,
      error: () =>
        new LimitExceededError(
          `Reading '${target}' took longer than the limit of ${timeoutMs} ms (${BOUND_KEYS.readingTimeoutMs})`,
          'timeoutMs',
        ),
    });

  const resolve = (
    raw: string,
  ): { kind: 'url'; url: string } | { kind: 'file'; file: string } => {
    const target = raw.replace(/^url:/, '').trim();
    if (!target) {
      throw new InputError('The target is empty');
    }
    if (/^https?:\/\//i.test(target)) {
      return { kind: 'url', url: target };
    }
    // A scheme other than http(s), e.g. file:///etc/passwd or file:/etc/passwd. (A relative
    // file name with a colon in its first segment is written ./name:with-colon.)
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1];
    if (scheme) {
      throw new NotAllowedError(
        `Refused to read '${target}': ${scheme}: targets are never read for an entity; ` +
          `name an http(s) URL or a path relative to the entity's location`,
      );
    }
    if (location.type === 'url') {
      const url = new URL(target, location.target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new NotAllowedError(
          `Refused to read '${target}': relative to '${location.target}' it is ${url}, not an http(s) URL`,
        );
      }
      return { kind: 'url', url: url.toString() };
    }
    if (location.type === 'file') {
      const folder = path.resolve(path.dirname(location.target));
      const file = path.resolve(folder, target);
      // Checked on the path itself first, so that whether a file outside exists is not told.
      if (!isInside(file, folder)) {
        throw new NotAllowedError(
          `Refused to read '${target}': it is outside the folder of the entity's location (${folder})`,
        );
      }
      return { kind: 'file', file };
    }
    throw new InputError(
      `'${raw}' is relative, and entities from '${location.type}' locations can only point at URLs`,
    );
  };

  const checkUrl = async (url: string, signal: AbortSignal): Promise<void> => {
    if (options.allowInternalTargets) return;
    await refuseInternalTargets(url, { lookup: options.lookup, signal });
  };

  const insideLocation = async (
    file: string,
    target: string,
  ): Promise<string> => {
    const root = await realFolder(path.dirname(location.target));
    let real: string;
    try {
      real = await fs.realpath(file);
    } catch {
      throw new InputError(`'${target}' does not exist next to the entity`);
    }
    if (!isInside(real, root)) {
      throw new NotAllowedError(
        `Refused to read '${target}': it resolves to '${real}', outside the folder of the entity's location (${root})`,
      );
    }
    return real;
  };

  return {
    async readFile(target, readOptions): Promise<GateFile> {
      const maxBytes = readOptions?.maxBytes ?? defaultMax;
      const resolved = resolve(target);
      const deadline = deadlineFor(target);
      try {
        return await deadline.race(
          readOneFile({
            resolved,
            target,
            maxBytes,
            etag: readOptions?.etag,
            signal: deadline.signal,
          }),
        );
      } finally {
        deadline.clear();
      }
    },

    async readTree(target): Promise<GateTree> {
      const resolved = resolve(target);
      const deadline = deadlineFor(target);
      let tree: GateTree;
      try {
        tree = await deadline.race(
          openTree({ resolved, target, signal: deadline.signal }),
        );
      } catch (error) {
        deadline.clear();
        throw error;
      }
      // The time limit runs on until the files are listed: a UrlReader downloads the
      // archive then. A gate that never lists them leaves a timer that only aborts.
      return {
        ...tree,
        files: async () => {
          try {
            return await deadline.race(tree.files());
          } finally {
            deadline.clear();
          }
        },
      };
    },
  };

  async function readOneFile(read: {
    resolved: ReturnType<typeof resolve>;
    target: string;
    maxBytes: number;
    etag?: string;
    signal: AbortSignal;
  }): Promise<GateFile> {
    const { resolved, target, maxBytes, signal } = read;
    if (resolved.kind === 'file') {
      const real = await insideLocation(resolved.file, target);
      const stat = await fs.stat(real);
      if (!stat.isFile()) {
        throw new InputError(`'${target}' is not a file`);
      }
      if (stat.size > maxBytes) {
        throw new LimitExceededError(
          `'${target}' is ${stat.size} bytes, more than the limit of ${maxBytes} bytes`,
          'maxBytes',
        );
      }
      const etag = `${real}:${stat.size}:${stat.mtimeMs}`;
      if (read.etag === etag) {
        throw new NotModifiedError(`'${target}' did not change`);
      }
      return {
        url: `file://${real}`,
        content: await fs.readFile(real, { signal }),
        etag,
      };
    }
    await checkUrl(resolved.url, signal);
    const response = await urlReader.readUrl(resolved.url, { signal });
    const content = await readBounded({
      response,
      maxBytes,
      tooLarge: () =>
        new LimitExceededError(
          `'${target}' is more than the limit of ${maxBytes} bytes`,
          'maxBytes',
        ),
    });
    return { url: resolved.url, content, etag: response.etag };
  }

  async function openTree(open: {
    resolved: ReturnType<typeof resolve>;
    target: string;
    signal: AbortSignal;
  }): Promise<GateTree> {
    const { resolved, target, signal } = open;
    if (resolved.kind === 'file') {
      const root = await insideLocation(resolved.file, target);
      const entries = await walk(root);
      const etag = crypto
        .createHash('sha256')
        .update(
          entries.map(e => `${e.relative}:${e.size}:${e.mtimeMs}`).join('\n'),
        )
        .digest('hex');
      return {
        url: `file://${root}`,
        etag,
        files: async () =>
          entries.map(e => ({
            path: e.relative,
            content: () => fs.readFile(e.absolute),
          })),
      };
    }
    await checkUrl(resolved.url, signal);
    const response = await urlReader.readTree(resolved.url, { signal });
    return {
      url: resolved.url,
      etag: response.etag,
      files: async () =>
        (await response.files()).map(f => ({
          path: f.path,
          content: () => f.content(),
        })),
    };
  }
}

function isInside(file: string, folder: string): boolean {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return file === folder || file.startsWith(prefix);
}

/** Real paths of location folders, briefly remembered: every app of a folder reads there. */
const folders = new Map<string, { real: string; at: number }>();
async function realFolder(folder: string): Promise<string> {
  const known = folders.get(folder);
  if (known && Date.now() - known.at < 60_000) return known.real;
  const real = await fs.realpath(folder);
  if (folders.size > 10_000) folders.clear();
  folders.set(folder, { real, at: Date.now() });
  return real;
}

/** Regular files below a folder; symlinks are not followed, so nothing outside is reached. */
async function walk(
  root: string,
): Promise<
  Array<{ absolute: string; relative: string; size: number; mtimeMs: number }>
> {
  const out: Array<{
    absolute: string;
    relative: string;
    size: number;
    mtimeMs: number;
  }> = [];
  const visit = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(absolute);
      } else if (entry.isFile()) {
        const stat = await fs.stat(absolute);
        out.push({
          absolute,
          relative: path.relative(root, absolute),
          size: stat.size,
          mtimeMs: stat.mtimeMs,
        });
      }
    }
  };
  await visit(root);
  return out.sort((a, b) => a.relative.localeCompare(b.relative));
}
