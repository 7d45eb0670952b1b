import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMembershipResolver } from './membership';

const group = (name: string, parent?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'sven', namespace: 'default' },
    spec: {},
    relations: [{ type: 'memberOf', targetRef: 'group:default/security-eu' }],
  },
  group('security-eu', 'security'),
  group('security', 'governance'),
  // a cycle in the org data must not loop
  group('governance', 'security-eu'),
];

describe('createMembershipResolver', () => {
  it('resolves the user, their groups and every ancestor group', async () => {
    const catalog = catalogServiceMock({ entities });
    const resolver = createMembershipResolver({
      catalog,
      auth: mockServices.auth(),
    });
    expect((await resolver.getClaims('user:default/Sven')).sort()).toEqual([
      'group:default/governance',
      'group:default/security',
      'group:default/security-eu',
      'user:default/sven',
    ]);
  });

  it('answers from its cache within the ttl, and only the user for an unknown user', async () => {
    const catalog = catalogServiceMock({ entities });
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const resolver = createMembershipResolver({
      catalog,
      auth: mockServices.auth(),
      ttlMs: 60_000,
    });
    await resolver.getClaims('user:default/sven');
    await resolver.getClaims('user:default/sven');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await resolver.getClaims('user:default/nobody')).toEqual([
      'user:default/nobody',
    ]);
  });
});
