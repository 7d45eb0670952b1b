import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { createBrokenPackGate } from './createBrokenPackGate';
import { createPolicyRuleGate } from './createPolicyRuleGate';
import { POLICY_NAME_PATTERN } from './packSchema';
import type { LoadedPolicyPacks, PolicyProblem } from './types';

/**
 * Default bound on the list elements one rule evaluation may read, about 0.5 s of work.
 *
 * @public
 */
export const DEFAULT_MAX_LIST_READS = 1_000_000;

function fileStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base
    .replace(/\.ya?ml$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stem || 'pack';
}

/**
 * One gate per rule, `policy:<pack>/<rule>`, plus one failing gate per pack file that did not load.
 *
 * @public
 */
export function createPolicyGates(
  options: LoadedPolicyPacks & {
    /** Bound on list elements one rule evaluation may read; default 1,000,000. */
    maxListReads?: number;
  },
): PolicyGate[] {
  const { packs, problems, maxListReads = DEFAULT_MAX_LIST_READS } = options;
  const gates: PolicyGate[] = packs.flatMap(pack =>
    pack.rules.map(rule => createPolicyRuleGate({ pack, rule, maxListReads })),
  );

  const problemsByFile = new Map<string, PolicyProblem[]>();
  for (const problem of problems) {
    problemsByFile.set(problem.file, [
      ...(problemsByFile.get(problem.file) ?? []),
      problem,
    ]);
  }
  // ids must stay unique, or the runner refuses the whole gate set
  const taken = new Set(['opa', ...packs.map(pack => pack.name)]);
  for (const [file, fileProblems] of problemsByFile) {
    const packName = fileProblems.find(
      problem => problem.pack !== undefined,
    )?.pack;
    const base =
      packName !== undefined &&
      POLICY_NAME_PATTERN.test(packName) &&
      !taken.has(packName)
        ? packName
        : fileStem(file);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    gates.push(createBrokenPackGate({ id, file, problems: fileProblems }));
  }
  return gates;
}
