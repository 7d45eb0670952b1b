import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import type { SbomFacts } from '@microapps/plugin-marketplace-node';
import { exceedsJsonDepth } from '../../bounds/jsonNestingDepth';
import { BOUND_KEYS } from '../../bounds/keys';
import { LimitExceededError } from '../../bounds/LimitExceededError';
import { locateJsonError } from './locateJsonError';
import { readCycloneDx } from './readCycloneDx';
import { readSpdx } from './readSpdx';

/**
 * The most components an SBOM may list unless the caller says otherwise.
 *
 * @public
 */
export const DEFAULT_MAX_COMPONENTS = 50_000;

/**
 * The deepest nesting of objects and arrays an SBOM may have unless the caller says
 * otherwise. Real SBOMs nest a few levels (CycloneDX components in components add two each);
 * the schema validation recurses per level and must never reach the end of the stack.
 *
 * @public
 */
export const DEFAULT_SBOM_MAX_DEPTH = 128;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const problem = locateJsonError({ text });
    const where = problem
      ? `${problem.message} at line ${problem.line}, column ${problem.column}`
      : (error as Error).message;
    const start = text.trimStart();
    let hint = '';
    if (start.startsWith('<')) {
      hint = ' (XML SBOMs are not supported; use CycloneDX JSON or SPDX JSON)';
    } else if (/^SPDXVersion:/i.test(start)) {
      hint = ' (SPDX tag-value is not supported; use SPDX JSON)';
    }
    throw new InputError(`The SBOM is not valid JSON: ${where}${hint}`);
  }
}

/**
 * Parses and validates a CycloneDX JSON (1.2–1.6) or SPDX 2.3 JSON SBOM into normalised
 * facts; throws an InputError naming the problem when the SBOM is unusable, and a
 * LimitExceededError naming the limit and its key when it is over `maxComponents` or
 * `maxDepth` (the depth is checked on the text, before it is parsed or validated).
 *
 * @public
 */
export async function parseSbom(options: {
  content: Buffer;
  /** Refuse SBOMs with more components; defaults to {@link DEFAULT_MAX_COMPONENTS}. */
  maxComponents?: number;
  /** Refuse SBOMs nested deeper; defaults to {@link DEFAULT_SBOM_MAX_DEPTH}. */
  maxDepth?: number;
}): Promise<SbomFacts> {
  const {
    content,
    maxComponents = DEFAULT_MAX_COMPONENTS,
    maxDepth = DEFAULT_SBOM_MAX_DEPTH,
  } = options;
  const sha256 = createHash('sha256').update(content).digest('hex');
  // Editors on Windows like to prepend a byte order mark, which JSON.parse refuses.
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  if (exceedsJsonDepth(text, maxDepth)) {
    throw new LimitExceededError(
      `The SBOM nests objects and arrays deeper than the limit of ${maxDepth} levels (${BOUND_KEYS.sbom}.maxDepth)`,
      'maxDepth',
    );
  }
  const document = parseJson(text);
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new InputError(
      'The SBOM is neither CycloneDX nor SPDX: it is not a JSON object',
    );
  }
  const doc = document as Record<string, unknown>;

  let result;
  if (doc.bomFormat === 'CycloneDX') {
    result = {
      format: 'CycloneDX' as const,
      ...(await readCycloneDx({ document: doc, maxComponents })),
    };
  } else if (typeof doc.spdxVersion === 'string') {
    if (doc.spdxVersion !== 'SPDX-2.3') {
      throw new InputError(
        `SPDX version '${doc.spdxVersion}' is not supported; use SPDX-2.3 JSON`,
      );
    }
    result = {
      format: 'SPDX' as const,
      ...readSpdx({ document: doc, maxComponents }),
    };
  } else if (String(doc['@context'] ?? '').includes('spdx.org/rdf/3')) {
    throw new InputError('SPDX 3 is not supported; use SPDX-2.3 JSON');
  } else {
    throw new InputError(
      'The SBOM is neither CycloneDX (no "bomFormat": "CycloneDX") nor SPDX (no "spdxVersion")',
    );
  }

  if (!result.components.length) {
    throw new InputError(
      `The ${result.format} ${result.specVersion} SBOM lists no components`,
    );
  }
  return { ...result, sha256 };
}
