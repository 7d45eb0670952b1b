import type { PolicyProblem } from './types';

/**
 * One line for a problem of a policy pack: `file:line:column: rule 'id': message`.
 *
 * @public
 */
export function formatPolicyProblem(problem: PolicyProblem): string {
  const position =
    problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
  const rule = problem.rule === undefined ? '' : `rule '${problem.rule}': `;
  const exprPosition =
    problem.exprLine === undefined
      ? ''
      : ` (at ${problem.exprLine}:${problem.exprColumn ?? 1} of expr)`;
  return `${problem.file}${position}: ${rule}${problem.message}${exprPosition}`;
}
