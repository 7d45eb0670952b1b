import { createHash } from 'node:crypto';
import type { Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  ANNOTATION_SBOM,
  ANNOTATION_SBOM_SHA256,
} from '@microapps/plugin-marketplace-common';
import type {
  GateContext,
  GateEvaluation,
  PolicyGate,
  SbomFacts,
} from '@microapps/plugin-marketplace-node';
import { BOUND_KEYS } from '../../bounds/keys';
import { isLimitExceededError } from '../../bounds/LimitExceededError';
import { readPositiveInteger } from '../../bounds/readPositiveInteger';
import {
  DEFAULT_MAX_COMPONENTS,
  DEFAULT_SBOM_MAX_DEPTH,
  parseSbom,
} from './parseSbom';

/**
 * The largest SBOM the gate reads unless `marketplace.gates.sbom.maxBytes` says otherwise.
 *
 * @public
 */
export const DEFAULT_SBOM_MAX_BYTES = 20 * 1024 * 1024;

// Bump when parsing changes, so that cached results of the old parser are not reused.
const PARSER_VERSION = 2;

/**
 * The SBOM gate's bounds, `marketplace.gates.sbom.{maxBytes,maxComponents,maxDepth}`.
 *
 * @internal
 */
export interface SbomLimits {
  maxBytes: number;
  maxComponents: number;
  maxDepth: number;
}

/**
 * Reads the gate's bounds from its section, `marketplace.gates.sbom`; a value that is not a
 * positive integer throws an InputError naming the key. The module reads them at startup
 * too, so there a wrong value stops the backend.
 *
 * @internal
 */
export function readSbomLimits(options: {
  config: Config | undefined;
}): SbomLimits {
  const read = (key: keyof SbomLimits, fallback: number) =>
    readPositiveInteger({
      config: options.config,
      key,
      prefix: BOUND_KEYS.sbom,
      fallback,
    });
  return {
    maxBytes: read('maxBytes', DEFAULT_SBOM_MAX_BYTES),
    maxComponents: read('maxComponents', DEFAULT_MAX_COMPONENTS),
    maxDepth: read('maxDepth', DEFAULT_SBOM_MAX_DEPTH),
  };
}

/** A verdict on the SBOM (`problem`, a fail) or a refusal over a bound (`overLimit`, an error). */
type CachedParse =
  | { facts: SbomFacts }
  | { problem: string }
  | { overLimit: string };

function errorMessage(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

// Parses through the cache: an unchanged SBOM (same SHA-256) is not parsed again.
async function cachedParse(options: {
  load: () => Promise<Buffer>;
  sha256: string;
  limits: SbomLimits;
  context: GateContext;
}): Promise<CachedParse> {
  const { load, sha256, limits, context } = options;
  const { maxComponents, maxDepth } = limits;
  const key = `sbom:v${PARSER_VERSION}:${maxComponents}:${maxDepth}:${sha256}`;
  try {
    const cached = await context.cache.get<JsonObject>(key);
    if (cached) return cached as unknown as CachedParse;
  } catch (error) {
    context.logger.warn(`SBOM cache read failed: ${errorMessage(error)}`);
  }
  let parsed: CachedParse;
  try {
    parsed = {
      facts: await parseSbom({
        content: await load(),
        maxComponents,
        maxDepth,
      }),
    };
  } catch (error) {
    // Only bad input is a verdict worth keeping; anything else is the gate's own trouble.
    // Over a bound is kept too: the same file under the same bounds is refused again.
    if (isLimitExceededError(error)) {
      parsed = { overLimit: error.message };
    } else if (isError(error) && error.name === 'InputError') {
      parsed = { problem: error.message };
    } else {
      throw error;
    }
  }
  try {
    await context.cache.set(key, parsed as unknown as JsonValue);
  } catch (error) {
    context.logger.warn(`SBOM cache write failed: ${errorMessage(error)}`);
  }
  return parsed;
}

/**
 * The `sbom` gate: reads the SBOM named in `microapps.dev/sbom`, checks it against `microapps.dev/sbom-sha256` when given, and parses it into the `sbom` facts that later gates read.
 *
 * @public
 */
export function createSbomGate(): PolicyGate {
  return {
    id: 'sbom',
    title: 'SBOM',
    async evaluate({ entity }, context): Promise<GateEvaluation> {
      const annotations = entity.metadata.annotations ?? {};
      const target = annotations[ANNOTATION_SBOM]?.trim();
      const sbomLocation = `metadata.annotations["${ANNOTATION_SBOM}"]`;
      if (!target) {
        return {
          status: 'fail',
          findings: [
            {
              id: 'missing',
              severity: 'high',
              message:
                `The app names no SBOM. Add the annotation ${ANNOTATION_SBOM} with the path of a ` +
                'CycloneDX JSON (1.2–1.6) or SPDX 2.3 JSON file relative to the entity file, or ' +
                `its URL, e.g. "${ANNOTATION_SBOM}: ./sbom.cdx.json"; optionally pin it with ` +
                `${ANNOTATION_SBOM_SHA256}`,
              location: sbomLocation,
            },
          ],
          summary: 'no SBOM',
        };
      }

      let limits: SbomLimits;
      try {
        limits = readSbomLimits({ config: context.config });
      } catch (error) {
        return { status: 'error', findings: [], error: errorMessage(error) };
      }
      const { maxBytes } = limits;

      // An unchanged file is not read and hashed again at every processing: the reader
      // answers NotModified for the etag it gave last time, and the hash is remembered.
      const etagKey = `sbom:etag:v1:${stringifyEntityRef(entity)}:${target}`;
      const known = await context.cache
        .get<{ etag: string; sha256: string }>(etagKey)
        .catch(() => undefined);
      const read = async (etag?: string) => {
        const file = await context.reader.readFile(target, { maxBytes, etag });
        const digest = createHash('sha256').update(file.content).digest('hex');
        if (file.etag) {
          await context.cache
            .set(etagKey, { etag: file.etag, sha256: digest })
            .catch(() => undefined);
        }
        return { content: file.content, sha256: digest };
      };
      let content: Buffer | undefined;
      let sha256: string;
      try {
        ({ content, sha256 } = await read(known?.etag));
      } catch (error) {
        if (known && isError(error) && error.name === 'NotModifiedError') {
          sha256 = known.sha256;
        } else {
          // the reader knows its bound by the option only; the gate knows the key
          const key =
            isLimitExceededError(error) && error.limit === 'maxBytes'
              ? ` (${BOUND_KEYS.sbom}.maxBytes)`
              : '';
          return {
            status: 'error',
            findings: [],
            error: `Could not read the SBOM: ${errorMessage(error)}${key}`,
          };
        }
      }
      const invalid = (message: string): GateEvaluation => ({
        status: 'fail',
        findings: [
          { id: 'invalid', severity: 'high', message, location: target },
        ],
        summary: 'invalid SBOM',
        inputDigest: sha256,
      });
      // The reader should have refused it already; do not trust that with the parser's memory.
      if (content && content.length > maxBytes) {
        return {
          status: 'error',
          findings: [],
          error: `The SBOM is ${content.length} bytes, more than the limit of ${maxBytes} bytes (${BOUND_KEYS.sbom}.maxBytes)`,
          inputDigest: sha256,
        };
      }

      const pinned = annotations[ANNOTATION_SBOM_SHA256]?.trim();
      if (pinned !== undefined) {
        const expected = pinned.toLowerCase().replace(/^sha256:/, '');
        if (!/^[0-9a-f]{64}$/.test(expected)) {
          return {
            status: 'fail',
            findings: [
              {
                id: 'integrity',
                severity: 'high',
                message: `${ANNOTATION_SBOM_SHA256} is not a SHA-256 hex digest: '${pinned}'`,
                location: `metadata.annotations["${ANNOTATION_SBOM_SHA256}"]`,
              },
            ],
            summary: 'malformed SBOM digest',
            inputDigest: sha256,
          };
        }
        if (expected !== sha256) {
          return {
            status: 'fail',
            findings: [
              {
                id: 'integrity',
                severity: 'critical',
                message: `The SBOM at '${target}' does not match ${ANNOTATION_SBOM_SHA256}: expected SHA-256 ${expected}, actual ${sha256}`,
                location: target,
              },
            ],
            summary: 'SBOM does not match its SHA-256',
            inputDigest: sha256,
          };
        }
      }

      if (context.signal.aborted) {
        return {
          status: 'error',
          findings: [],
          error: 'Timed out before parsing the SBOM',
        };
      }
      let parsed: CachedParse;
      try {
        parsed = await cachedParse({
          load: async () => content ?? (await read()).content,
          sha256,
          limits,
          context,
        });
      } catch (error) {
        return {
          status: 'error',
          findings: [],
          error: `Could not parse the SBOM: ${errorMessage(error)}`,
          inputDigest: sha256,
        };
      }
      if ('problem' in parsed) return invalid(parsed.problem);
      if ('overLimit' in parsed) {
        return {
          status: 'error',
          findings: [],
          error: parsed.overLimit,
          inputDigest: sha256,
        };
      }

      const { facts } = parsed;
      const count = facts.components.length;
      return {
        status: 'pass',
        findings: [],
        summary: `${facts.format} ${facts.specVersion}, ${count} component${
          count === 1 ? '' : 's'
        }`,
        facts: facts as unknown as JsonObject,
        inputDigest: sha256,
      };
    },
  };
}
