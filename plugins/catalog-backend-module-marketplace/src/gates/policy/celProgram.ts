import {
  Environment,
  EvaluationError,
  ParseError,
  TypeError as CelTypeError,
} from '@marcbachmann/cel-js';
import type { PolicyInput } from './types';
import { ListReadBudgetExceededError, meterListReads } from './listReadBudget';

/**
 * A compiled CEL rule expression, called with the input document.
 *
 * @public
 */
export type PolicyProgram = (input: PolicyInput) => unknown;

/**
 * A CEL error, positioned inside the expression (1-based).
 *
 * @internal
 */
export interface CelProblem {
  message: string;
  exprLine?: number;
  exprColumn?: number;
}

/**
 * Parse-time bounds the library enforces. A rule is a condition, not a program: these are
 * far above what a readable rule needs and far below what could slow the loader down.
 */
const PARSE_LIMITS = {
  maxAstNodes: 1000,
  maxDepth: 32,
  maxListElements: 200,
  maxMapEntries: 100,
  maxCallArguments: 16,
};

let environment: Environment | undefined;

// Creating an environment is the expensive part of the library, so there is one.
function policyEnvironment(): Environment {
  environment ??= new Environment({
    enableOptionalTypes: true,
    limits: PARSE_LIMITS,
  })
    .registerVariable('app', 'map')
    .registerVariable('tier', 'string')
    .registerVariable('facts', 'map');
  return environment;
}

function errorKind(error: unknown): string {
  if (error instanceof ParseError) return 'CEL syntax error';
  if (error instanceof CelTypeError) return 'CEL type error';
  if (error instanceof EvaluationError) return 'CEL evaluation error';
  return 'error';
}

function positionIn(options: { text: string; offset: number }) {
  const before = options.text.slice(0, options.offset).split('\n');
  return {
    exprLine: before.length,
    exprColumn: before[before.length - 1].length + 1,
  };
}

/**
 * Describes an error of the library with its position in the expression.
 *
 * @internal
 */
export function describeCelError(options: {
  error: unknown;
  expr: string;
}): CelProblem {
  const { error, expr } = options;
  const celError = error as Partial<ParseError>;
  // `summary` is the message without the library's multi-line source excerpt
  const { message } = error as { message?: unknown };
  let text = typeof message === 'string' ? message : String(error);
  if (typeof celError.summary === 'string') text = celError.summary;
  const start = celError.range?.start;
  return {
    message: `${errorKind(error)}: ${text}`,
    ...(typeof start === 'number' && positionIn({ text: expr, offset: start })),
  };
}

/**
 * Parses and type-checks a rule expression, which must be a bool or dynamic (checked when run).
 *
 * @internal
 */
export function compilePolicyExpression(options: {
  expr: string;
}): { program: PolicyProgram } | { problem: CelProblem } {
  const { expr } = options;
  let parsed;
  try {
    parsed = policyEnvironment().parse(expr);
  } catch (error) {
    return { problem: describeCelError({ error, expr }) };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    return { problem: describeCelError({ error: checked.error, expr }) };
  }
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    return {
      problem: {
        message: `the expression must be a bool (true when the app complies), it is ${checked.type}`,
        exprLine: 1,
        exprColumn: 1,
      },
    };
  }
  return { program: parsed as PolicyProgram };
}

function formatPosition(problem: CelProblem): string {
  return problem.exprLine === undefined
    ? ''
    : ` (at ${problem.exprLine}:${problem.exprColumn} of expr)`;
}

/**
 * Runs a compiled expression on the input document (read, never changed), within `maxListReads`.
 *
 * @internal
 */
export function runPolicyProgram(options: {
  program: PolicyProgram;
  expr: string;
  input: PolicyInput;
  maxListReads: number;
}): { value: unknown } | { error: string } {
  const { program, expr, input, maxListReads } = options;
  // the library has no time limit and runs synchronously: without the bound, list macros
  // over huge facts would block the event loop, where no gate timeout can stop them
  const metered = meterListReads({ value: input, maxReads: maxListReads });
  let value: unknown;
  let threw = false;
  let failure: unknown;
  try {
    value = metered.run(() => program(metered.value));
  } catch (error) {
    threw = true;
    failure = error;
  }
  // CEL's `||` and `exists` absorb errors of one side, so the budget is checked on its own
  if (metered.exceeded()) {
    return { error: new ListReadBudgetExceededError(maxListReads).message };
  }
  if (threw) {
    const problem = describeCelError({ error: failure, expr });
    const hint =
      (failure as Partial<EvaluationError>).code === 'no_such_key'
        ? '; guard optional fields with has(...) or .?field.orValue(...)'
        : '';
    return { error: `${problem.message}${formatPosition(problem)}${hint}` };
  }
  return { value };
}
