import { ConfigReader } from '@backstage/config';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  exceptionGrantPermission,
  promotionRequestPermission,
  promotionReviewPermission,
  reportReadPermission,
  tierOverridePermission,
} from '@microapps/plugin-marketplace-common';
import {
  MicroAppResource,
  microAppPermissionRules,
} from '@microapps/plugin-marketplace-node';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

/** Groups per user, as the catalog would resolve them (nested groups included). */
const GROUPS: Record<string, string[]> = {
  'user:default/pat': ['group:default/platform-team'],
  'user:default/sam': ['group:default/security-reviewers'],
  'user:default/sven': [
    'group:default/security-reviewers-eu',
    'group:default/security-reviewers',
  ],
  'user:default/rita': [
    'group:default/platform-team',
    'group:default/security-reviewers',
  ],
  'user:default/bea': ['group:default/budget-reviewers'],
  'user:default/ada': ['group:default/marketplace-admins'],
  'user:default/eve': [],
};

const membership = {
  getClaims: jest.fn(async (ref: string) => [ref, ...(GROUPS[ref] ?? [])]),
};

const policy = new MarketplacePermissionPolicy({
  config: new ConfigReader({
    marketplace: {
      admins: ['group:default/Marketplace-Admins'],
      reviewers: {
        security: ['group:default/security-reviewers'],
        budget: ['group:default/budget-reviewers'],
      },
    },
  }),
  membership,
});

const userOf = (name: string): PolicyQueryUser => {
  const ref = `user:default/${name}`;
  return {
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [ref] },
  } as PolicyQueryUser;
};

const app: MicroAppResource = {
  entityRef: 'microapp:default/ledger',
  owners: ['group:default/platform-team'],
  tier: 'discover',
  submitter: 'user:default/pat',
  requestStages: ['security'],
  reviewers: { security: ['group:default/security-reviewers'] },
};

const authorize = createConditionAuthorizer(
  Object.values(microAppPermissionRules) as any,
);
const allowed = (decision: PolicyDecision, resource = app) =>
  decision.result === AuthorizeResult.CONDITIONAL
    ? authorize(decision as any, resource)
    : decision.result === AuthorizeResult.ALLOW;

describe('MarketplacePermissionPolicy', () => {
  it('allows plugins, which act for the system', async () => {
    const decision = await policy.handle({
      permission: tierOverridePermission,
    });
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('leaves permissions of other plugins alone', async () => {
    const other = createPermission({
      name: 'todo.item.delete',
      attributes: {},
    });
    expect(
      (await policy.handle({ permission: other }, userOf('eve'))).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it.each([
    ['sam', true],
    ['sven', true], // through a sub-group
    ['pat', false], // the submitter and an owner
    ['rita', false], // a security reviewer who owns the app
    ['bea', false], // a reviewer of a stage this request does not have
    ['ada', false], // admins have no exemption from separation of duties
  ])('review by %s: %s', async (name, expected) => {
    const decision = await policy.handle(
      { permission: promotionReviewPermission },
      userOf(name),
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(allowed(decision)).toBe(expected);
  });

  it.each([
    ['pat', true],
    ['ada', true],
    ['sam', false],
  ])('request by %s: %s', async (name, expected) => {
    const decision = await policy.handle(
      { permission: promotionRequestPermission },
      userOf(name),
    );
    expect(allowed(decision)).toBe(expected);
  });

  it.each([
    ['sam', true],
    ['rita', false],
    ['bea', false],
  ])('exception by %s: %s', async (name, expected) => {
    const decision = await policy.handle(
      { permission: exceptionGrantPermission },
      userOf(name),
    );
    expect(allowed(decision)).toBe(expected);
  });

  it.each([
    [tierOverridePermission, 'ada', true],
    [tierOverridePermission, 'bea', false],
    [reportReadPermission, 'bea', true],
    [reportReadPermission, 'sam', false],
  ])('%s by %s: %s', async (permission, name, expected) => {
    const decision = await policy.handle({ permission }, userOf(name));
    expect(decision.result).toBe(
      expected ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    );
  });

  it('limits catalog reads of Discover apps to owners and the audience; admins and reviewers see all', async () => {
    const eve = await policy.handle(
      { permission: catalogEntityReadPermission },
      userOf('eve'),
    );
    expect(eve).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          { not: { rule: 'IS_ENTITY_KIND', params: { kinds: ['MicroApp'] } } },
          {
            rule: 'HAS_MICRO_APP_TIER',
            params: { tiers: ['vetted', 'enterprise'] },
          },
          { rule: 'IS_ENTITY_OWNER', params: { claims: ['user:default/eve'] } },
          {
            rule: 'IS_IN_MICRO_APP_AUDIENCE',
            params: { claims: ['user:default/eve'] },
          },
        ],
      },
    });
    for (const name of ['ada', 'sam']) {
      const decision = await policy.handle(
        { permission: catalogEntityReadPermission },
        userOf(name),
      );
      expect([name, decision.result]).toEqual([name, AuthorizeResult.ALLOW]);
    }
  });
});
