import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import {
  createOpaGate,
  createPolicyGates,
  formatPolicyProblem,
  loadPolicyPacks,
  type PolicyProblem,
} from './policy';

/**
 * Reads the policy packs listed in `marketplace.policy.packs` (paths relative to the
 * backend's working directory) and the optional OPA adapter. A pack that cannot be read or
 * does not load becomes a gate that reports `error` with the file, rule and position, so it
 * shows in every app's results; it never stops the backend and never passes silently.
 */
export async function loadPolicyGates(options: {
  config: Config;
  logger: LoggerService;
}): Promise<PolicyGate[]> {
  const { config, logger } = options;
  const policyConfig = config.getOptionalConfig('marketplace.policy');
  const files: Array<{ path: string; content: string }> = [];
  const unreadable: PolicyProblem[] = [];
  for (const file of policyConfig?.getOptionalStringArray('packs') ?? []) {
    const full = path.resolve(file);
    try {
      files.push({ path: file, content: await fs.readFile(full, 'utf8') });
    } catch (error) {
      unreadable.push({
        file,
        message: `cannot read ${full}: ${(error as Error).message}`,
      });
    }
  }
  const loaded = loadPolicyPacks({ files });
  const problems = [...unreadable, ...loaded.problems];
  for (const problem of problems) {
    logger.error(`Policy pack problem: ${formatPolicyProblem(problem)}`);
  }
  const gates = createPolicyGates({
    packs: loaded.packs,
    problems,
    maxListReads: policyConfig?.getOptionalNumber('maxListReads'),
  });
  const opa = policyConfig?.getOptionalConfig('opa');
  if (opa) {
    gates.push(
      createOpaGate({
        baseUrl: opa.getString('baseUrl'),
        packagePath: opa.getString('packagePath'),
        timeoutMs: opa.getOptionalNumber('timeoutMs'),
      }),
    );
  }
  return gates;
}
