import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { buildPolicyInput } from './buildPolicyInput';

describe('buildPolicyInput', () => {
  const entity = {
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'quote-builder', uid: 'u1', annotations: { a: 'b' } },
    spec: {
      type: 'web-app',
      owner: 'group:default/sales-ops',
      support: undefined,
      cost: { center: 'CC-6000', monthlyForecast: 5 },
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/sales-ops' }],
    status: { items: [] },
  } as unknown as MicroAppEntityV1alpha1;

  it('holds app (apiVersion, kind, metadata, spec) as plain JSON, the tier and the facts', () => {
    const facts = {
      cost: { known: true, checkedAt: '2025-01-02T03:04:05.000Z' },
    };
    const input = buildPolicyInput({ entity, tier: 'discover', facts });
    expect(input).toEqual({
      app: {
        apiVersion: 'microapps.dev/v1alpha1',
        kind: 'MicroApp',
        metadata: { name: 'quote-builder', uid: 'u1', annotations: { a: 'b' } },
        spec: {
          type: 'web-app',
          owner: 'group:default/sales-ops',
          cost: { center: 'CC-6000', monthlyForecast: 5 },
        },
      },
      tier: 'discover',
      facts: { cost: { known: true, checkedAt: '2025-01-02T03:04:05.000Z' } },
    });
    // absent stays absent: `has(app.spec.support)` must be false
    expect('support' in (input.app.spec as object)).toBe(false);
  });

  it('copies the entity, and shares the facts (JSON already, read-only to CEL and OPA)', () => {
    const facts = { licenses: { components: [{ name: 'a', licenses: [] }] } };
    const input = buildPolicyInput({ entity, tier: 'vetted', facts });
    (input.app.metadata as { name: string }).name = 'changed';
    expect(entity.metadata.name).toBe('quote-builder');
    expect(input.facts).toBe(facts);
  });

  it('builds one document for all rules of a run, and a new one when the run differs', () => {
    const facts = { licenses: { components: [] } };
    const first = buildPolicyInput({ entity, tier: 'vetted', facts });
    expect(buildPolicyInput({ entity, tier: 'vetted', facts })).toBe(first);
    expect(buildPolicyInput({ entity, tier: 'enterprise', facts })).not.toBe(
      first,
    );
    expect(
      buildPolicyInput({ entity, tier: 'vetted', facts: { ...facts } }),
    ).not.toBe(first);
  });
});
