import type { JsonObject } from '@backstage/types';
import type { GateInput } from '@microapps/plugin-marketplace-node';
import type { PolicyInput } from './types';

/**
 * The input document of CEL rules and OPA policies: `app`, `tier` and `facts`, as a JSON copy.
 *
 * @public
 */
export function buildPolicyInput(options: GateInput): PolicyInput {
  // A JSON copy, so both engines see exactly the same data: absent fields are absent (not
  // undefined), numbers are JSON numbers, and a rule cannot change what a gate collected.
  // Only the entity's own fields: relations and status differ by where the gate runs.
  const { entity, tier, facts } = options;
  const app = {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: entity.metadata,
    spec: entity.spec,
  };
  return JSON.parse(JSON.stringify({ app, tier, facts: facts ?? {} })) as {
    app: JsonObject;
    tier: PolicyInput['tier'];
    facts: JsonObject;
  };
}
