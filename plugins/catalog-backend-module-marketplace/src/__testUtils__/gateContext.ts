import { ConfigReader } from '@backstage/config';
import crypto from 'node:crypto';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { LimitExceededError } from '../bounds/LimitExceededError';
import type {
  GateContext,
  GateFile,
  GateTree,
} from '@microapps/plugin-marketplace-node';

/** Files keyed by the target an entity names, e.g. `./sbom.cdx.json`. */
export type TestFiles = Record<string, string | Buffer>;

/**
 * A GateContext for unit tests: files and trees are served from memory, the cache is a Map,
 * the config is the given object. Reads of unknown targets throw NotFoundError.
 */
export function createTestGateContext(
  options: {
    files?: TestFiles;
    trees?: Record<string, TestFiles>;
    config?: object;
    signal?: AbortSignal;
  } = {},
): GateContext & { cacheEntries: Map<string, JsonValue> } {
  const cacheEntries = new Map<string, JsonValue>();
  const toBuffer = (v: string | Buffer) =>
    typeof v === 'string' ? Buffer.from(v) : v;
  return {
    logger: mockServices.logger.mock(),
    config: new ConfigReader(options.config ?? {}),
    signal: options.signal ?? new AbortController().signal,
    cacheEntries,
    cache: {
      async get(key: string) {
        return cacheEntries.get(key) as any;
      },
      async set(key: string, value: JsonValue) {
        cacheEntries.set(key, value);
      },
    },
    reader: {
      async readFile(
        target: string,
        opts?: { maxBytes?: number; etag?: string },
      ): Promise<GateFile> {
        const content = options.files?.[target];
        if (content === undefined) {
          throw new NotFoundError(`'${target}' was not found`);
        }
        const buffer = toBuffer(content);
        // as the module's reader refuses it
        if (opts?.maxBytes !== undefined && buffer.length > opts.maxBytes) {
          throw new LimitExceededError(
            `'${target}' is ${buffer.length} bytes, more than the limit of ${opts.maxBytes} bytes`,
            'maxBytes',
          );
        }
        const etag = crypto.createHash('sha256').update(buffer).digest('hex');
        if (opts?.etag === etag) {
          throw new NotModifiedError(`'${target}' did not change`);
        }
        return { url: target, content: buffer, etag };
      },
      async readTree(target: string): Promise<GateTree> {
        const tree = options.trees?.[target];
        if (!tree) {
          throw new NotFoundError(`'${target}' was not found`);
        }
        return {
          url: target,
          etag: Object.keys(tree).join(','),
          files: async () =>
            Object.entries(tree).map(([path, content]) => ({
              path,
              content: async () => toBuffer(content),
            })),
        };
      },
    },
  };
}
