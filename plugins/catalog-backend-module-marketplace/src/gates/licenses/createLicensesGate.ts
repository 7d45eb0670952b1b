import { createHash } from 'node:crypto';
import type { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import type {
  FindingSeverity,
  GateFinding,
} from '@microapps/plugin-marketplace-common';
import type { JsonObject } from '@backstage/types';
import type {
  GateEvaluation,
  PolicyGate,
  SbomComponent,
  SbomFacts,
} from '@microapps/plugin-marketplace-node';
import {
  createLicenseEvaluator,
  type LicenseVerdict,
  type LicenseVerdictKind,
} from './createLicenseEvaluator';
import { readLicensePolicy, type LicensePolicy } from './licensePolicy';

type Problem = Exclude<LicenseVerdictKind, 'allowed'>;

const SEVERITY: Record<Problem, FindingSeverity> = {
  denied: 'high',
  'not-allowed': 'medium',
  unknown: 'low',
};
const WORST_FIRST: Problem[] = ['denied', 'not-allowed', 'unknown'];

function quoteList(licenses: string[]): string {
  return licenses.map(l => `'${l}'`).join(', ');
}

function describe(options: {
  label: string;
  expression: string;
  verdict: LicenseVerdict;
}): string {
  const { label, expression, verdict } = options;
  const many = verdict.licenses.length > 1;
  switch (verdict.kind) {
    case 'denied':
      return `${label} is licensed under '${expression}', which cannot be used without the denied license${
        many ? 's' : ''
      } ${quoteList(verdict.licenses)}`;
    case 'not-allowed':
      return `${label} is licensed under '${expression}': ${quoteList(
        verdict.licenses,
      )} ${
        many ? 'are' : 'is'
      } on neither the allow nor the deny list and needs a review`;
    default:
      return `${label} declares the license '${expression}', which ${verdict.reason}; it needs a review`;
  }
}

// Denied licenses and, while an allow list is in force, licenses on neither list fail: an
// allow list means "only these", so anything else needs a decision. Missing, unparseable and
// non-SPDX licenses warn, or fail with `unknown: fail`.
/**
 * The `licenses` gate: every component's licenses in the SBOM facts satisfy the license policy in `marketplace.gates.licenses`.
 *
 * @public
 */
export function createLicensesGate(): PolicyGate {
  // the gate's config does not change while the backend runs; read and check it once
  const policies = new WeakMap<Config, LicensePolicy>();
  return {
    id: 'licenses',
    title: 'Licenses',
    after: ['sbom'],
    async evaluate({ facts }, context) {
      const sbom = facts.sbom;
      if (!sbom || !Array.isArray(sbom.components)) {
        return {
          status: 'error',
          findings: [],
          error:
            'There are no SBOM facts to check licenses in: the sbom gate did not read a valid SBOM',
        };
      }
      let policy = policies.get(context.config);
      try {
        if (!policy) {
          policy = readLicensePolicy({ config: context.config });
          policies.set(context.config, policy);
        }
      } catch (error) {
        return {
          status: 'error',
          findings: [],
          error: isError(error) ? error.message : String(error),
        };
      }
      // The verdict depends only on the SBOM and the policy: an unchanged pair is not
      // judged again at every processing.
      const inputDigest = createHash('sha256')
        .update(JSON.stringify({ sbom: sbom.sha256, policy }))
        .digest('hex');
      const cacheKey = `licenses:v1:${inputDigest}`;
      const cached = await context.cache
        .get<JsonObject>(cacheKey)
        .catch(() => undefined);
      if (cached) return cached as unknown as GateEvaluation;
      const evaluation = judgeComponents({ sbom, policy, inputDigest });
      await context.cache
        .set(cacheKey, evaluation as unknown as JsonObject)
        .catch(() => undefined);
      return evaluation;
    },
  };
}

function judgeComponents(input: {
  sbom: SbomFacts;
  policy: LicensePolicy;
  inputDigest: string;
}): GateEvaluation {
  const { sbom, policy, inputDigest } = input;
  const judge = createLicenseEvaluator({ policy });

  const findings = new Map<string, GateFinding & { repeats: number }>();
  const counts: Record<Problem, number> = {
    denied: 0,
    'not-allowed': 0,
    unknown: 0,
  };
  const report = (options: {
    component: SbomComponent;
    expression: string;
    verdict: LicenseVerdict;
    message: string;
  }) => {
    const { component, expression, verdict, message } = options;
    const id = `${expression}:${component.name}`;
    const known = findings.get(id);
    if (known) {
      // The same package at several versions: one finding, so one exception covers it.
      known.repeats += 1;
      return;
    }
    findings.set(id, {
      id,
      severity: SEVERITY[verdict.kind as Problem],
      message,
      location:
        component.purl ??
        (component.version
          ? `${component.name}@${component.version}`
          : component.name),
      repeats: 0,
    });
  };

  for (const component of sbom.components) {
    const label = component.version
      ? `${component.name}@${component.version}`
      : component.name;
    const problems = new Set<Problem>();
    if (!component.licenses?.length) {
      problems.add('unknown');
      report({
        component,
        expression: 'NOASSERTION',
        verdict: { kind: 'unknown', licenses: [] },
        message: `${label} declares no license; it needs a review`,
      });
    }
    // Several entries all apply (a component is under each), so each must pass.
    for (const expression of component.licenses ?? []) {
      const verdict = judge({ expression });
      if (verdict.kind === 'allowed') continue;
      problems.add(verdict.kind);
      report({
        component,
        expression,
        verdict,
        message: describe({ label, expression, verdict }),
      });
    }
    const worst = WORST_FIRST.find(kind => problems.has(kind));
    if (worst) counts[worst] += 1;
  }

  const total = sbom.components.length;
  let status: 'pass' | 'warn' | 'fail' = 'pass';
  if (counts.denied || counts['not-allowed']) {
    status = 'fail';
  } else if (counts.unknown) {
    status = policy.unknown === 'fail' ? 'fail' : 'warn';
  }
  return {
    status,
    findings: [...findings.values()].map(({ repeats, ...finding }) =>
      repeats
        ? {
            ...finding,
            message: `${finding.message} (and ${repeats} more occurrence${
              repeats === 1 ? '' : 's'
            })`,
          }
        : finding,
    ),
    summary:
      status === 'pass'
        ? `${total} component${total === 1 ? '' : 's'}, all licenses allowed`
        : `${counts.denied} denied, ${counts['not-allowed']} not allowed, ${counts.unknown} unknown of ${total} components`,
    inputDigest,
  };
}
