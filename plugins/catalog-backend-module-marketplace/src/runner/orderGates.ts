import { InputError } from '@backstage/errors';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';

/**
 * Orders gates so that each runs after the gates named in its `after` (ignoring names of
 * gates that are not installed), keeping the given order otherwise. Duplicate ids and
 * cycles are configuration errors.
 */
export function orderGates(gates: PolicyGate[]): PolicyGate[] {
  const byId = new Map<string, PolicyGate>();
  for (const gate of gates) {
    if (byId.has(gate.id)) {
      throw new InputError(`Two policy gates have the id '${gate.id}'`);
    }
    byId.set(gate.id, gate);
  }
  const ordered: PolicyGate[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (gate: PolicyGate, path: string[]) => {
    if (state.get(gate.id) === 'done') return;
    if (state.get(gate.id) === 'visiting') {
      throw new InputError(
        `Policy gates wait for each other: ${[...path, gate.id].join(' -> ')}`,
      );
    }
    state.set(gate.id, 'visiting');
    for (const before of gate.after ?? []) {
      const dependency = byId.get(before);
      if (dependency) visit(dependency, [...path, gate.id]);
    }
    state.set(gate.id, 'done');
    ordered.push(gate);
  };
  gates.forEach(gate => visit(gate, []));
  return ordered;
}
