import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { MAX_TIMEOUT_MS } from '../bounds/keys';
import { readPositiveInteger } from '../bounds/readPositiveInteger';
import {
  createOpaGate,
  DEFAULT_OPA_TIMEOUT_MS,
  createPolicyGates,
  formatPolicyProblem,
  loadPolicyPacks,
  packTooLargeMessage,
  readPolicyLimits,
  type PolicyProblem,
} from './policy';

/**
 * Reads the policy packs listed in `marketplace.policy.packs` (paths relative to the
 * backend's working directory) and the optional OPA adapter. A pack that cannot be read or
 * does not load becomes a gate that reports `error` with the file, rule and position, so it
 * shows in every app's results; it never stops the backend and never passes silently. A
 * pack file over `marketplace.policy.limits.maxPackBytes` is not read at all. A limit that
 * is not a positive integer throws, naming the key: at startup that stops the backend.
 */
export async function loadPolicyGates(options: {
  config: Config;
  logger: LoggerService;
}): Promise<PolicyGate[]> {
  const { config, logger } = options;
  const policyConfig = config.getOptionalConfig('marketplace.policy');
  const { maxListReads, ...limits } = readPolicyLimits({
    config: policyConfig,
  });
  const files: Array<{ path: string; content: string }> = [];
  const unreadable: PolicyProblem[] = [];
  for (const file of policyConfig?.getOptionalStringArray('packs') ?? []) {
    const full = path.resolve(file);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(full, 'r');
      const { size } = await handle.stat();
      if (size > limits.maxPackBytes) {
        unreadable.push({
          file,
          message: packTooLargeMessage({
            bytes: size,
            maxPackBytes: limits.maxPackBytes,
          }),
        });
        continue;
      }
      files.push({ path: file, content: await handle.readFile('utf8') });
    } catch (error) {
      unreadable.push({
        file,
        message: `cannot read ${full}: ${(error as Error).message}`,
      });
    } finally {
      await handle?.close();
    }
  }
  // loadPolicyPacks checks the size again: the file may have grown since it was measured
  const loaded = loadPolicyPacks({ files, limits });
  const problems = [...unreadable, ...loaded.problems];
  for (const problem of problems) {
    logger.error(`Policy pack problem: ${formatPolicyProblem(problem)}`);
  }
  const gates = createPolicyGates({
    packs: loaded.packs,
    problems,
    maxListReads,
  });
  const opa = policyConfig?.getOptionalConfig('opa');
  if (opa) {
    gates.push(
      createOpaGate({
        baseUrl: opa.getString('baseUrl'),
        packagePath: opa.getString('packagePath'),
        timeoutMs: readPositiveInteger({
          config: opa,
          key: 'timeoutMs',
          prefix: 'marketplace.policy.opa',
          fallback: DEFAULT_OPA_TIMEOUT_MS,
          max: MAX_TIMEOUT_MS,
        }),
      }),
    );
  }
  return gates;
}
