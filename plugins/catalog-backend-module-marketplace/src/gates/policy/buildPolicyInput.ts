import type { JsonObject } from '@backstage/types';
import type { GateInput } from '@microapps/plugin-marketplace-node';
import type { PolicyInput } from './types';

const copies = new WeakMap<
  object,
  { entity: object; tier: string; factCount: number; input: PolicyInput }
>();

/**
 * The input document of CEL rules and OPA policies: `app`, `tier` and `facts`, as a JSON copy.
 *
 * @public
 */
export function buildPolicyInput(options: GateInput): PolicyInput {
  // Every rule of a run gets the same facts object, complete once the non-policy gates ran;
  // one copy serves all of them (CEL cannot change it).
  const { facts } = options;
  const memo = facts ? copies.get(facts) : undefined;
  if (
    memo &&
    memo.entity === options.entity &&
    memo.tier === options.tier &&
    memo.factCount === Object.keys(facts).length
  ) {
    return memo.input;
  }
  const input = copyPolicyInput(options);
  if (facts) {
    copies.set(facts, {
      entity: options.entity,
      tier: options.tier,
      factCount: Object.keys(facts).length,
      input,
    });
  }
  return input;
}

function copyPolicyInput(options: GateInput): PolicyInput {
  // The entity as a JSON copy, so both engines see exactly the same data: absent fields are
  // absent (not undefined), numbers are JSON numbers. Only its own fields: relations and
  // status differ by where the gate runs. Facts are JSON already (gates produce them for
  // the cache) and neither CEL nor OPA can change them, so they are not copied: an SBOM's
  // component list would cost more to copy than every rule costs to run.
  const { entity, tier, facts } = options;
  const app = {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: entity.metadata,
    spec: entity.spec,
  };
  return {
    app: JSON.parse(JSON.stringify(app)) as JsonObject,
    tier,
    facts: (facts ?? {}) as JsonObject,
  };
}
