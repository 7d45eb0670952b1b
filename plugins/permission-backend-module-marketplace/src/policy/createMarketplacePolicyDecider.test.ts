import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { marketplacePermissions } from '@microapps/plugin-marketplace-common';
import { createFakeMembership, testConfig, userOf } from '../__testUtils__/org';
import { createMarketplacePolicyDecider } from './createMarketplacePolicyDecider';

describe('createMarketplacePolicyDecider', () => {
  const membership = createFakeMembership();
  const decider = createMarketplacePolicyDecider({
    config: testConfig,
    membership,
  });

  beforeEach(() => membership.getClaims.mockClear());

  it('leaves permissions it does not govern to the caller', async () => {
    const todo = createPermission({ name: 'todo.item.delete', attributes: {} });
    for (const permission of [todo, catalogEntityDeletePermission]) {
      await expect(
        decider.decide({ permission }, userOf('eve')),
      ).resolves.toBeUndefined();
    }
  });

  it('allows plugins every governed permission without resolving claims', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      ...marketplacePermissions,
    ]) {
      await expect(decider.decide({ permission })).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
    expect(membership.getClaims).not.toHaveBeenCalled();
  });

  it('denies a marketplace permission it does not know rather than guess', async () => {
    const unknown = createPermission({
      name: 'marketplace.app.delete',
      attributes: { action: 'delete' },
    });
    await expect(
      decider.decide({ permission: unknown }, userOf('ada')),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('resolves claims by the lower-case user ref and adds the sign-in ownership refs', async () => {
    const decision = await decider.decide(
      { permission: catalogEntityReadPermission },
      {
        ...userOf('Cora'),
        info: {
          userEntityRef: 'user:default/Cora',
          ownershipEntityRefs: ['user:default/Cora', 'Group:default/Ops'],
        },
      },
    );
    expect(membership.getClaims).toHaveBeenCalledWith('user:default/cora');
    const claims = [
      'user:default/cora',
      'group:default/hr-apps',
      'group:default/hr',
      'group:default/ops',
    ];
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        anyOf: expect.arrayContaining([
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims },
          },
          {
            rule: 'IS_IN_MICRO_APP_AUDIENCE',
            resourceType: 'catalog-entity',
            params: { claims },
          },
        ]),
      },
    });
  });

  it('fails the request when claims cannot be resolved', async () => {
    membership.getClaims.mockRejectedValueOnce(new Error('catalog down'));
    await expect(
      decider.decide(
        { permission: catalogEntityReadPermission },
        userOf('eve'),
      ),
    ).rejects.toThrow('catalog down');
  });
});
