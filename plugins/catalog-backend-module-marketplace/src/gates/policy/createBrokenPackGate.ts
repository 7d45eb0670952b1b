import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { formatPolicyProblem } from './policyProblem';
import type { PolicyProblem } from './types';

/**
 * The gate `policy:<id>` standing in for a pack file that did not load: always `error`.
 *
 * @internal
 */
export function createBrokenPackGate(options: {
  id: string;
  file: string;
  problems: PolicyProblem[];
}): PolicyGate {
  // Reporting the problems for every app makes a broken pack visible, and with the default
  // enforcement (no `enforcementFor`) it blocks from Vetted on instead of silently missing.
  const { id, file, problems } = options;
  const error = [
    `Policy pack ${file} could not be loaded:`,
    ...problems.map(problem => formatPolicyProblem(problem)),
  ].join('\n');
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return {
    id: `policy:${id}`,
    title: `Policy pack ${id} (not loaded)`,
    async evaluate() {
      return {
        status: 'error',
        findings: [],
        summary: `pack not loaded: ${count}`,
        error,
      };
    },
  };
}
