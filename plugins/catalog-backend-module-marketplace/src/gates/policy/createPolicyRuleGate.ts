import {
  getTier,
  type GateEnforcement,
  type TierId,
} from '@microapps/plugin-marketplace-common';
import type {
  GateEvaluation,
  PolicyGate,
} from '@microapps/plugin-marketplace-node';
import { buildPolicyInput } from './buildPolicyInput';
import { runPolicyProgram } from './celProgram';
import { POLICY_INPUT_GATE_IDS } from './inputGateIds';
import type { PolicyPack, PolicyRule } from './types';

/** Above this a rule's evaluation is logged as slow: rules should take microseconds. */
const SLOW_RULE_MS = 100;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'bigint') return `the int ${value}`;
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'map'}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/**
 * The gate `policy:<pack>/<rule>`: pass when true, fail with one finding when false, else error.
 *
 * @internal
 */
export function createPolicyRuleGate(options: {
  pack: PolicyPack;
  rule: PolicyRule;
  maxListReads: number;
}): PolicyGate {
  const { pack, rule, maxListReads } = options;
  const name = `${pack.name}/${rule.id}`;
  return {
    id: `policy:${name}`,
    title: rule.title,
    after: [...POLICY_INPUT_GATE_IDS],
    enforcementFor(tier: TierId): GateEnforcement {
      return (
        rule.enforcement[tier] ??
        (getTier(tier).enforcement === 'soft' ? 'warn' : 'block')
      );
    },
    async evaluate(input, context): Promise<GateEvaluation> {
      let policyInput;
      try {
        policyInput = buildPolicyInput(input);
      } catch (error) {
        return {
          status: 'error',
          findings: [],
          error: `Policy rule ${name}: the input document could not be built: ${error}`,
        };
      }
      const started = performance.now();
      const outcome = runPolicyProgram({
        program: rule.program,
        expr: rule.expr,
        input: policyInput,
        maxListReads,
      });
      const elapsedMs = performance.now() - started;
      if (elapsedMs > SLOW_RULE_MS) {
        context.logger.warn(
          `Policy rule ${name} took ${Math.round(elapsedMs)} ms for ${
            input.entity.metadata.name
          }`,
        );
      }
      if ('error' in outcome) {
        return {
          status: 'error',
          findings: [],
          error: `Policy rule ${name} could not be evaluated: ${outcome.error}`,
        };
      }
      if (outcome.value === true) {
        return { status: 'pass', findings: [] };
      }
      if (outcome.value === false) {
        return {
          status: 'fail',
          findings: [
            {
              id: rule.id,
              severity: rule.severity,
              message: rule.message,
              location: pack.file,
              ...(rule.url !== undefined && { url: rule.url }),
            },
          ],
          summary: rule.message,
        };
      }
      return {
        status: 'error',
        findings: [],
        error: `Policy rule ${name} returned ${describeValue(
          outcome.value,
        )} instead of a bool`,
      };
    },
  };
}
