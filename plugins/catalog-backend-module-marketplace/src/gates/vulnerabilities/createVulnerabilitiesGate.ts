import { InputError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import {
  FINDING_SEVERITIES,
  severityRank,
  type FindingSeverity,
  type GateFinding,
  type GateStatus,
} from '@microapps/plugin-marketplace-common';
import type {
  GateContext,
  GateEvaluation,
  PolicyGate,
  SbomComponent,
} from '@microapps/plugin-marketplace-node';
import { createHash } from 'node:crypto';
import { findingsForMatches } from './findingsForMatches';
import { matchComponents } from './matchComponents';
import type { OsvIndex } from './osv/OsvIndex';
import {
  osvPackageForPurl,
  type OsvPackageRef,
} from './purl/osvPackageForPurl';

/** Severities `blockSeverity` may name. */
const BLOCK_SEVERITIES: FindingSeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
];
const DEFAULT_BLOCK_SEVERITY: FindingSeverity = 'high';
/** Bump when the findings' form changes, so that old cached ones are not served. */
const CACHE_FORMAT = 2;
/** Cached findings outlive a feed refresh only as long as this; the key changes anyway. */
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

function readBlockSeverity(context: GateContext): FindingSeverity {
  const raw = context.config.getOptionalString('blockSeverity');
  const value = raw?.trim().toLowerCase() ?? DEFAULT_BLOCK_SEVERITY;
  if (!BLOCK_SEVERITIES.includes(value as FindingSeverity)) {
    throw new InputError(
      `marketplace.gates.vulnerabilities.blockSeverity must be one of ${BLOCK_SEVERITIES.join(
        ', ',
      )}, not '${raw}'`,
    );
  }
  return value as FindingSeverity;
}

const resolvedComponents = new WeakMap<
  object,
  ReturnType<typeof resolveComponents>
>();

/** Components as OSV names them, each once, and the reasons the others were skipped. */
function resolveComponents(components: SbomComponent[]) {
  const packages = new Map<string, OsvPackageRef>();
  const skipped = new Map<string, number>();
  for (const component of components) {
    const result = component.purl
      ? osvPackageForPurl({ purl: component.purl, version: component.version })
      : { skipped: 'no package URL' };
    if ('skipped' in result) {
      skipped.set(result.skipped, (skipped.get(result.skipped) ?? 0) + 1);
      continue;
    }
    const { ecosystem, name, version } = result.package;
    packages.set(`${ecosystem}\u0000${name}\u0000${version}`, result.package);
  }
  return { packages: [...packages.values()], skipped };
}

function isFindingList(value: unknown): value is GateFinding[] {
  return (
    Array.isArray(value) &&
    value.every(
      f =>
        f &&
        typeof f.id === 'string' &&
        typeof f.message === 'string' &&
        FINDING_SEVERITIES.includes(f.severity),
    )
  );
}

/** `fail` at or above the block severity, `warn` below it, `pass` without findings. */
function statusOf(options: {
  findings: GateFinding[];
  blockSeverity: FindingSeverity;
}): GateStatus {
  const { findings, blockSeverity } = options;
  const block = severityRank(blockSeverity);
  if (findings.some(f => severityRank(f.severity) >= block)) return 'fail';
  return findings.length ? 'warn' : 'pass';
}

function countBySeverity(
  findings: GateFinding[],
): Record<FindingSeverity, number> {
  const counts = Object.fromEntries(
    FINDING_SEVERITIES.map(s => [s, 0]),
  ) as Record<FindingSeverity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/**
 * The `vulnerabilities` gate: matches the package URLs of the SBOM's components (facts of
 * the `sbom` gate) against OSV advisories and fails when a finding is at or above
 * `marketplace.gates.vulnerabilities.blockSeverity` (default `high`). Without SBOM facts or
 * without a loaded feed it reports an error, never a pass. Matching is cached by the SBOM's
 * digest, the feed's version and the block severity.
 *
 * @public
 */
export function createVulnerabilitiesGate(options: {
  /** The current advisory index; undefined while no feed is loaded. */
  getIndex(): OsvIndex | undefined;
}): PolicyGate {
  return {
    id: 'vulnerabilities',
    title: 'Vulnerabilities',
    after: ['sbom'],
    async evaluate(input, context): Promise<GateEvaluation> {
      const blockSeverity = readBlockSeverity(context);
      const sbom = input.facts.sbom;
      if (!sbom) {
        return {
          status: 'error',
          findings: [],
          error:
            'There are no SBOM facts to check: the sbom gate did not provide any',
        };
      }
      const index = options.getIndex();
      if (!index) {
        return {
          status: 'error',
          findings: [],
          error:
            'No advisory feed is loaded, so the SBOM could not be checked for vulnerabilities',
        };
      }
      // The facts object of an unchanged SBOM is the same object run after run (it comes
      // from the gate cache), so its purls are parsed once, not at every processing.
      let resolved = resolvedComponents.get(sbom);
      if (!resolved) {
        resolved = resolveComponents(sbom.components);
        resolvedComponents.set(sbom, resolved);
      }
      const { packages, skipped } = resolved;
      const skippedCount = [...skipped.values()].reduce((a, b) => a + b, 0);
      if (skippedCount) {
        context.logger.debug(
          `Skipped ${skippedCount} SBOM components: ${[...skipped]
            .map(([reason, n]) => `${n}× ${reason}`)
            .join('; ')}`,
        );
      }
      if (sbom.components.length > 0 && packages.length === 0) {
        return {
          status: 'error',
          findings: [],
          error: `None of the SBOM's ${
            sbom.components.length
          } components has a package URL the gate can match (${[
            ...skipped.keys(),
          ]
            .slice(0, 3)
            .join('; ')})`,
        };
      }

      const inputDigest = `sbom=${sbom.sha256};osv=${index.version};blockSeverity=${blockSeverity}`;
      const cacheKey = `vulnerabilities:v${CACHE_FORMAT}:${createHash('sha256')
        .update(inputDigest)
        .digest('hex')}`;
      let findings: GateFinding[] | undefined;
      try {
        const cached = await context.cache.get(cacheKey);
        if (isFindingList(cached)) findings = cached;
      } catch (error) {
        context.logger.warn(`Could not read the vulnerability cache: ${error}`);
      }
      if (!findings) {
        context.signal.throwIfAborted();
        const block = severityRank(blockSeverity);
        // findings below the block severity are reported, but need no exception
        findings = findingsForMatches(
          matchComponents({ index, components: packages }),
        ).map(f => ({ ...f, blocking: severityRank(f.severity) >= block }));
        try {
          await context.cache.set(cacheKey, findings as unknown as JsonValue, {
            ttlMs: CACHE_TTL_MS,
          });
        } catch (error) {
          context.logger.warn(
            `Could not write the vulnerability cache: ${error}`,
          );
        }
      }

      const counts = countBySeverity(findings);
      const skippedNote = skippedCount
        ? `; ${skippedCount} component${
            skippedCount === 1 ? '' : 's'
          } without a usable package URL`
        : '';
      const summary = findings.length
        ? FINDING_SEVERITIES.filter(s => counts[s])
            .map(s => `${counts[s]} ${s}`)
            .join(', ')
        : `no known vulnerabilities in ${packages.length} package${
            packages.length === 1 ? '' : 's'
          }`;
      return {
        status: statusOf({ findings, blockSeverity }),
        findings,
        summary: summary + skippedNote,
        facts: { ...counts, packages: packages.length, skipped: skippedCount },
        inputDigest,
      };
    },
  };
}
