import { InputError } from '@backstage/errors';
import type {
  GateEvaluation,
  PolicyGate,
} from '@microapps/plugin-marketplace-node';
import { buildPolicyInput } from './buildPolicyInput';
import { POLICY_INPUT_GATE_IDS } from './inputGateIds';
import { opaViolationsToFindings } from './opaViolations';

/**
 * Default time OPA gets to answer one query.
 *
 * @internal
 */
export const DEFAULT_OPA_TIMEOUT_MS = 2000;

/** Package paths as the Data API addresses them: Rego identifiers joined by slashes. */
const PACKAGE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Enough of an error body to say what went wrong, not enough to flood the gate result. */
const MAX_BODY_EXCERPT = 300;

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InputError(`OPA baseUrl '${baseUrl}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `OPA baseUrl '${baseUrl}' must be an http or https URL`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

type ErrorLike = {
  message?: unknown;
  code?: unknown;
  cause?: ErrorLike;
  errors?: ErrorLike[];
};

// fetch fails with "fetch failed"; the reason (ECONNREFUSED, DNS, TLS) is in its cause.
// Duck-typed, as the errors may come from another realm than this module's `Error`.
function errorCause(error: unknown): string {
  const outer = (error ?? {}) as ErrorLike;
  for (const candidate of [outer.cause, outer.cause?.errors?.[0], outer]) {
    if (typeof candidate?.message === 'string' && candidate.message)
      return candidate.message;
    if (typeof candidate?.code === 'string') return candidate.code;
  }
  return String(error);
}

/**
 * A gate that sends the policy input document to OPA's Data API and fails on its violations.
 *
 * @public
 */
export function createOpaGate(options: {
  baseUrl: string;
  /** Slash-separated path of the rule holding the violations, e.g. `microapps/gates/deny`. */
  packagePath: string;
  timeoutMs?: number;
}): PolicyGate {
  const { timeoutMs = DEFAULT_OPA_TIMEOUT_MS } = options;
  const packagePath = options.packagePath.replace(/^\/+|\/+$/g, '');
  if (!PACKAGE_PATH.test(packagePath)) {
    throw new InputError(
      `OPA packagePath '${options.packagePath}' must be Rego identifiers separated by slashes, e.g. microapps/gates/deny`,
    );
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InputError(
      `OPA timeoutMs must be a positive integer, got ${timeoutMs}`,
    );
  }
  const url = new URL(
    `v1/data/${packagePath}`,
    parseBaseUrl(options.baseUrl),
  ).toString();
  const fail = (error: string): GateEvaluation => ({
    status: 'error',
    findings: [],
    error,
  });
  const name = `OPA package ${packagePath}`;

  return {
    id: `policy:opa/${packagePath}`,
    title: `OPA policy ${packagePath}`,
    after: [...POLICY_INPUT_GATE_IDS],
    async evaluate(input, context) {
      // Anything but a set of violations (undefined package, HTTP error, no JSON, timeout,
      // unreachable OPA) is an error: a broken policy service must never let apps pass.
      let requestBody: string;
      try {
        requestBody = JSON.stringify({ input: buildPolicyInput(input) });
      } catch (error) {
        return fail(`${name}: the input document could not be built: ${error}`);
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: requestBody,
          signal: AbortSignal.any([context.signal, timeout]),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        if (timeout.aborted)
          return fail(
            `${name}: OPA at ${url} did not answer within ${timeoutMs} ms`,
          );
        if (context.signal.aborted)
          return fail(`${name}: the evaluation was aborted`);
        return fail(
          `${name}: OPA at ${url} could not be reached: ${errorCause(error)}`,
        );
      }

      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (status < 200 || status >= 300) {
        // OPA's own errors are `{ code, message }`
        const message = (body as { message?: unknown } | undefined)?.message;
        const detail =
          typeof message === 'string'
            ? message
            : text.slice(0, MAX_BODY_EXCERPT) || '(empty body)';
        return fail(`${name}: OPA answered HTTP ${status}: ${detail}`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return fail(
          `${name}: OPA answered with a body that is not a JSON object: ${text.slice(
            0,
            MAX_BODY_EXCERPT,
          )}`,
        );
      }
      if (!('result' in body)) {
        return fail(`${name} is undefined: OPA has no rule or data at ${url}`);
      }
      const result = (body as { result: unknown }).result;
      if (!Array.isArray(result)) {
        return fail(
          `${name}: the result is ${
            result === null ? 'null' : typeof result
          }, not a set of violations; ` +
            'point packagePath at the rule that collects them, e.g. microapps/gates/deny',
        );
      }
      const findings = opaViolationsToFindings({
        violations: result,
        location: `opa:${packagePath}`,
      });
      return findings.length
        ? {
            status: 'fail',
            findings,
            summary: `${findings.length} violation${
              findings.length === 1 ? '' : 's'
            }`,
          }
        : { status: 'pass', findings: [], summary: 'no violations' };
    },
  };
}
