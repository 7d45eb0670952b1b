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

  it('holds app (apiVersion, kind, metadata, spec), tier and facts as plain JSON', () => {
    const facts = {
      cost: { known: true, checkedAt: new Date('2025-01-02T03:04:05Z') },
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

  it('is a copy: changing it changes neither the entity nor the facts', () => {
    const facts = { licenses: { components: [{ name: 'a', licenses: [] }] } };
    const input = buildPolicyInput({ entity, tier: 'vetted', facts });
    (input.app.metadata as { name: string }).name = 'changed';
    (input.facts.licenses as { components: unknown[] }).components.length = 0;
    expect(entity.metadata.name).toBe('quote-builder');
    expect(facts.licenses.components).toHaveLength(1);
  });
});
