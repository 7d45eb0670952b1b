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

/** Default bound of one file read for a gate. */
export const DEFAULT_MAX_READ_BYTES = 20 * 1024 * 1024;

/**
 * Reads what an entity points at, relative to the location the entity came from.
 *
 * - Targets of an entity read from a `url` location, and absolute URLs, go through
 *   Backstage's UrlReader, so `backend.reading.allow` and the integrations apply.
 * - Targets of an entity read from a `file` location are files inside that location's
 *   folder. UrlReader has no reader for local files; this reader resolves symlinks and
 *   refuses anything outside the folder, so an entity cannot read the rest of the disk.
 *
 * Every read is bounded in bytes and fails with an error naming the target.
 */
export function createEntityReader(options: {
  urlReader: UrlReaderService;
  location: LocationSpec;
  maxBytes?: number;
  signal?: AbortSignal;
}): GateReader {
  const { urlReader, location } = options;
  const defaultMax = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;

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
    if (location.type === 'url') {
      return { kind: 'url', url: new URL(target, location.target).toString() };
    }
    if (location.type === 'file') {
      return {
        kind: 'file',
        file: path.resolve(path.dirname(location.target), target),
      };
    }
    throw new InputError(
      `'${raw}' is relative, and entities from '${location.type}' locations can only point at URLs`,
    );
  };

  const insideLocation = async (file: string): Promise<string> => {
    const root = await realFolder(path.dirname(location.target));
    let real: string;
    try {
      real = await fs.realpath(file);
    } catch {
      throw new InputError(
        `'${
          path.relative(root, file) || file
        }' does not exist next to the entity`,
      );
    }
    if (real !== root && !real.startsWith(root + path.sep)) {
      throw new NotAllowedError(
        `'${file}' is outside the folder of the entity's location (${root})`,
      );
    }
    return real;
  };

  return {
    async readFile(target, readOptions): Promise<GateFile> {
      const maxBytes = readOptions?.maxBytes ?? defaultMax;
      const resolved = resolve(target);
      if (resolved.kind === 'file') {
        const real = await insideLocation(resolved.file);
        const stat = await fs.stat(real);
        if (!stat.isFile()) {
          throw new InputError(`'${target}' is not a file`);
        }
        if (stat.size > maxBytes) {
          throw new InputError(
            `'${target}' is ${stat.size} bytes, more than the limit of ${maxBytes} bytes`,
          );
        }
        const etag = `${real}:${stat.size}:${stat.mtimeMs}`;
        if (readOptions?.etag === etag) {
          throw new NotModifiedError(`'${target}' did not change`);
        }
        return {
          url: `file://${real}`,
          content: await fs.readFile(real),
          etag,
        };
      }
      const response = await urlReader.readUrl(resolved.url, {
        signal: options.signal,
      });
      const content = await readBounded({
        response,
        maxBytes,
        target,
      });
      return { url: resolved.url, content, etag: response.etag };
    },

    async readTree(target): Promise<GateTree> {
      const resolved = resolve(target);
      if (resolved.kind === 'file') {
        const root = await insideLocation(resolved.file);
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
      const response = await urlReader.readTree(resolved.url, {
        signal: options.signal,
      });
      return {
        url: resolved.url,
        etag: response.etag,
        files: async () =>
          (await response.files()).map(f => ({
            path: f.path,
            content: () => f.content(),
          })),
      };
    },
  };
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

async function readBounded(options: {
  response: { buffer(): Promise<Buffer>; stream?(): NodeJS.ReadableStream };
  maxBytes: number;
  target: string;
}): Promise<Buffer> {
  const { response, maxBytes, target } = options;
  const tooLarge = () =>
    new InputError(`'${target}' is more than the limit of ${maxBytes} bytes`);
  if (!response.stream) {
    const buffer = await response.buffer();
    if (buffer.length > maxBytes) throw tooLarge();
    return buffer;
  }
  // Stream so that an oversized file is refused without holding all of it in memory.
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.stream()) {
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string);
    total += buffer.length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
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
