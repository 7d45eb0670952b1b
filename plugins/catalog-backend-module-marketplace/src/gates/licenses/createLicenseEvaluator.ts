import parseSpdx from 'spdx-expression-parse';
import spdxSatisfies from 'spdx-satisfies';
import type { LicensePolicy } from './licensePolicy';

// @types/spdx-satisfies describes v0; v6 takes a list of licenses.
const satisfies = spdxSatisfies as unknown as (
  expression: string,
  licenses: string[],
) => boolean;

/**
 * What the policy makes of one license expression, worst last: `unknown` is missing,
 * unparseable or not SPDX (LicenseRef-), `not-allowed` is an SPDX license on neither list.
 *
 * @public
 */
export type LicenseVerdictKind =
  | 'allowed'
  | 'unknown'
  | 'not-allowed'
  | 'denied';

/**
 * The verdict on one license expression and the licenses that caused it.
 *
 * @public
 */
export interface LicenseVerdict {
  kind: LicenseVerdictKind;
  /** For `denied` and `not-allowed`: the licenses the best choice still needs. */
  licenses: string[];
  /** For `unknown`: why the expression could not be judged. */
  reason?: string;
}

const RANK: Record<LicenseVerdictKind, number> = {
  allowed: 0,
  unknown: 1,
  'not-allowed': 2,
  denied: 3,
};

interface Leaf {
  license: string;
  plus?: boolean;
  exception?: string;
}
interface Conjunction {
  conjunction: 'and' | 'or';
  left: Leaf | Conjunction;
  right: Leaf | Conjunction;
}

function leafText(leaf: Leaf, withException = true): string {
  return `${leaf.license}${leaf.plus ? '+' : ''}${
    withException && leaf.exception ? ` WITH ${leaf.exception}` : ''
  }`;
}

// spdx-satisfies parses with its own, older license list; fall back to exact matching.
function satisfiedBy(license: string, list: string[]): boolean {
  if (!list.length) return false;
  try {
    return satisfies(license, list);
  } catch {
    return list.includes(license);
  }
}

// An expression is allowed when some choice it offers needs only allowed licenses, and
// denied when every choice needs a denied one; ranges (`GPL-2.0+`, `-or-later`) and
// deprecated ids are understood as spdx-satisfies understands them.
/**
 * Creates a function that judges SPDX license expressions against a license policy.
 *
 * @public
 */
export function createLicenseEvaluator(options: {
  policy: Pick<LicensePolicy, 'allow' | 'deny'>;
}): (options: { expression: string }) => LicenseVerdict {
  const { allow, deny } = options.policy;
  const leaves = new Map<string, LicenseVerdictKind>();
  const verdicts = new Map<string, LicenseVerdict>();

  const judgeLeaf = (leaf: Leaf): LicenseVerdictKind => {
    const text = leafText(leaf);
    const known = leaves.get(text);
    if (known) return known;
    const denied = satisfiedBy(text, deny);
    // An exception only adds permissions, so the base license being allowed is enough.
    const allowed =
      satisfiedBy(text, allow) ||
      (!!leaf.exception && satisfiedBy(leafText(leaf, false), allow));
    // A range can be used under its allowed version; an exact id on both lists is denied.
    const range = !!leaf.plus || leaf.license.endsWith('-or-later');
    let kind: LicenseVerdictKind;
    if (allowed && (!denied || range)) kind = 'allowed';
    else if (denied) kind = 'denied';
    else if (/^(LicenseRef-|DocumentRef-)/.test(leaf.license)) kind = 'unknown';
    else kind = allow.length ? 'not-allowed' : 'allowed';
    leaves.set(text, kind);
    return kind;
  };

  // On a total order, OR picks the best side and AND the worst, which is exactly the best
  // choice among the expression's alternatives, without expanding them.
  const judge = (
    node: Leaf | Conjunction,
  ): { kind: LicenseVerdictKind; culprits: Set<string> } => {
    if (!('conjunction' in node)) {
      const kind = judgeLeaf(node);
      return {
        kind,
        culprits: new Set(kind === 'allowed' ? [] : [leafText(node)]),
      };
    }
    const left = judge(node.left);
    const right = judge(node.right);
    const pick = node.conjunction === 'or' ? Math.min : Math.max;
    const rank = pick(RANK[left.kind], RANK[right.kind]);
    const sides = [left, right].filter(side => RANK[side.kind] === rank);
    return {
      kind: sides[0].kind,
      culprits: new Set(sides.flatMap(side => [...side.culprits])),
    };
  };

  const evaluate = (expression: string): LicenseVerdict => {
    let tree: Leaf | Conjunction;
    try {
      tree = parseSpdx(expression) as Leaf | Conjunction;
    } catch {
      return {
        kind: 'unknown',
        licenses: [],
        reason: 'is not an SPDX license expression',
      };
    }
    const { kind, culprits } = judge(tree);
    const licenses = [...culprits];
    return kind === 'unknown'
      ? { kind, licenses, reason: 'is not an SPDX-listed license' }
      : { kind, licenses };
  };

  return ({ expression }) => {
    let verdict = verdicts.get(expression);
    if (!verdict) {
      verdict = evaluate(expression);
      verdicts.set(expression, verdict);
    }
    return verdict;
  };
}
