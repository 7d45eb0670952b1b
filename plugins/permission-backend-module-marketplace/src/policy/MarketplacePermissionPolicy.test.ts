import type { Entity } from '@backstage/catalog-model';
import { permissionRules as catalogPermissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  PermissionRule,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  exceptionGrantPermission,
  LABEL_TIER,
  promotionRequestPermission,
  promotionReviewPermission,
  reportReadPermission,
  tierOverridePermission,
} from '@microapps/plugin-marketplace-common';
import {
  matchesMicroAppCriteria,
  microAppCatalogRules,
  MicroAppFilter,
  microAppPermissionRules,
  MicroAppResource,
} from '@microapps/plugin-marketplace-node';
import { createFakeMembership, testConfig, userOf } from '../__testUtils__/org';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

const rulesetOf = <R, Q>(
  rules: PermissionRule<R, Q, string, any>[],
): PermissionRuleset<R, Q> => ({
  getRuleByName: name => {
    const rule = rules.find(r => r.name === name);
    if (!rule) throw new Error(`no rule ${name}`);
    return rule;
  },
});

const microAppRuleset = rulesetOf<MicroAppResource, MicroAppFilter>(
  Object.values(microAppPermissionRules),
);
const authorizeMicroApp = createConditionAuthorizer(microAppRuleset);
const toMicroAppFilter = createConditionTransformer(microAppRuleset);
const authorizeEntity = createConditionAuthorizer(
  rulesetOf<Entity, unknown>([
    ...Object.values(catalogPermissionRules),
    ...microAppCatalogRules,
  ]),
);

/**
 * Whether the decision lets the user act on the app, answered twice: by the rules' `apply`
 * (a single resource) and by their `toQuery` criteria (a filtered list).
 */
function onApp(decision: PolicyDecision, app: MicroAppResource) {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    const allowed = decision.result === AuthorizeResult.ALLOW;
    return { apply: allowed, query: allowed };
  }
  expect(decision).toMatchObject({
    pluginId: 'marketplace',
    resourceType: 'microapp',
  });
  return {
    apply: authorizeMicroApp(decision, app),
    query: matchesMicroAppCriteria(app, toMicroAppFilter(decision.conditions)),
  };
}

const reviewers = {
  security: ['group:default/security-reviewers'],
  compliance: ['group:default/compliance-reviewers'],
  budget: ['group:default/budget-reviewers'],
};

/** Owned by the platform team; pat asked for its promotion, which waits for security. */
const ledger: MicroAppResource = {
  entityRef: 'microapp:default/ledger',
  owners: ['group:default/platform-team'],
  tier: 'discover',
  submitter: 'user:default/pat',
  requestStages: ['security'],
  reviewers,
};

/** Owned by HR; sam asked for its promotion, which has a security and a budget stage. */
const payroll: MicroAppResource = {
  entityRef: 'microapp:default/payroll',
  owners: ['group:default/hr'],
  tier: 'vetted',
  submitter: 'user:default/sam',
  requestStages: ['security', 'budget'],
  reviewers,
};

/** No open promotion. */
const idle: MicroAppResource = {
  entityRef: 'microapp:default/idle',
  owners: ['group:default/hr'],
  tier: 'discover',
  requestStages: [],
  reviewers,
};

const apps = { ledger, payroll, idle };

describe('MarketplacePermissionPolicy', () => {
  const policy = new MarketplacePermissionPolicy({
    config: testConfig,
    membership: createFakeMembership(),
  });
  const decide = (
    permission: Parameters<typeof policy.handle>[0]['permission'],
    name: string,
  ) => policy.handle({ permission }, userOf(name));

  it('allows plugins, which act for the system', async () => {
    for (const permission of [
      tierOverridePermission,
      promotionReviewPermission,
    ]) {
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('allows permissions of other plugins', async () => {
    const other = createPermission({
      name: 'todo.item.delete',
      attributes: {},
    });
    await expect(decide(other, 'eve')).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  describe('marketplace.promotion.request', () => {
    it.each([
      ['ada', 'admin'],
      ['axel', 'admin through a sub-group'],
    ])('allows %s (%s) outright', async name => {
      await expect(decide(promotionRequestPermission, name)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });

    it.each([
      ['pat', 'ledger', true],
      ['pat', 'payroll', false],
      ['rita', 'ledger', true], // owner through the platform team
      ['cora', 'payroll', true], // owner through hr-apps, a sub-group of hr
      ['sam', 'ledger', false],
      ['eve', 'idle', false],
    ] as const)('lets %s ask for %s: %s', async (name, app, expected) => {
      const decision = await decide(promotionRequestPermission, name);
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(onApp(decision, apps[app])).toEqual({
        apply: expected,
        query: expected,
      });
    });

    it('counts the ownership refs of the sign-in as claims', async () => {
      const decision = await policy.handle(
        { permission: promotionRequestPermission },
        userOf('eve', ['user:default/eve', 'Group:default/HR']),
      );
      expect(onApp(decision, payroll)).toEqual({ apply: true, query: true });
    });
  });

  describe('marketplace.promotion.review', () => {
    it.each([
      ['sam', 'ledger', true],
      ['sven', 'ledger', true], // a security reviewer through a sub-group
      ['pat', 'ledger', false], // the submitter, and an owner
      ['rita', 'ledger', false], // a security reviewer who owns the app
      ['rita', 'payroll', true], // ... and of an app she does not own
      ['bea', 'ledger', false], // a reviewer of a stage this request does not have
      ['bea', 'payroll', true],
      ['sam', 'payroll', false], // the submitter, though not an owner
      ['sven', 'idle', false], // nothing to review
      ['ada', 'ledger', false], // admins have no exemption from separation of duties
      ['eve', 'ledger', false],
    ] as const)('lets %s review %s: %s', async (name, app, expected) => {
      const decision = await decide(promotionReviewPermission, name);
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(onApp(decision, apps[app])).toEqual({
        apply: expected,
        query: expected,
      });
    });
  });

  describe('marketplace.exception.grant', () => {
    it.each([
      ['sam', 'ledger', true],
      ['sam', 'payroll', true], // submitting does not bar a security reviewer here
      ['sven', 'idle', true], // the security stage, whatever the request
      ['rita', 'ledger', false], // a security reviewer who owns the app
      ['bea', 'payroll', false], // a reviewer, but not of security
      ['ada', 'ledger', false],
    ] as const)('lets %s grant on %s: %s', async (name, app, expected) => {
      const decision = await decide(exceptionGrantPermission, name);
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(onApp(decision, apps[app])).toEqual({
        apply: expected,
        query: expected,
      });
    });
  });

  it.each([
    {
      permission: tierOverridePermission,
      name: 'ada',
      result: AuthorizeResult.ALLOW,
    },
    {
      permission: tierOverridePermission,
      name: 'axel',
      result: AuthorizeResult.ALLOW,
    },
    {
      permission: tierOverridePermission,
      name: 'bea',
      result: AuthorizeResult.DENY,
    },
    {
      permission: tierOverridePermission,
      name: 'pat',
      result: AuthorizeResult.DENY,
    },
    {
      permission: reportReadPermission,
      name: 'ada',
      result: AuthorizeResult.ALLOW,
    },
    {
      permission: reportReadPermission,
      name: 'bea',
      result: AuthorizeResult.ALLOW,
    },
    {
      permission: reportReadPermission,
      name: 'sam',
      result: AuthorizeResult.DENY,
    },
    {
      permission: reportReadPermission,
      name: 'eve',
      result: AuthorizeResult.DENY,
    },
  ])(
    '$permission.name by $name: $result',
    async ({ permission, name, result }) => {
      await expect(decide(permission, name)).resolves.toEqual({ result });
    },
  );

  describe('catalog.entity.read', () => {
    it.each(['ada', 'axel', 'sam', 'sven', 'bea'])(
      'lets %s (an admin or reviewer) see every entity',
      async name => {
        await expect(
          decide(catalogEntityReadPermission, name),
        ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      },
    );

    const entity = (
      kind: string,
      name: string,
      options: { tier?: string; owner: string; audience?: string[] },
    ): Entity => ({
      apiVersion: 'microapps.dev/v1alpha1',
      kind,
      metadata: {
        name,
        ...(options.tier && { labels: { [LABEL_TIER]: options.tier } }),
      },
      spec: { owner: options.owner, audience: options.audience },
      relations: [{ type: 'ownedBy', targetRef: options.owner }],
    });
    const service = entity('Component', 'billing', {
      owner: 'group:default/hr',
    });
    const hrTool = entity('MicroApp', 'hr-tool', {
      tier: 'discover',
      owner: 'group:default/hr',
      audience: ['group:default/Research'],
    });
    const stale = entity('MicroApp', 'stale', {
      tier: 'expired',
      owner: 'group:default/hr',
    });
    const vetted = entity('MicroApp', 'vetted', {
      tier: 'vetted',
      owner: 'group:default/hr',
    });
    const enterprise = entity('MicroApp', 'enterprise', {
      tier: 'enterprise',
      owner: 'group:default/hr',
    });

    it.each([
      { name: 'eve', target: service, expected: true },
      { name: 'eve', target: vetted, expected: true },
      { name: 'eve', target: enterprise, expected: true },
      { name: 'eve', target: hrTool, expected: false }, // Discover: owners and audience only
      { name: 'eve', target: stale, expected: false },
      { name: 'pat', target: hrTool, expected: false },
      { name: 'cora', target: hrTool, expected: true }, // an owner through hr-apps, a sub-group of hr
      { name: 'cora', target: stale, expected: true },
      { name: 'rob', target: hrTool, expected: true }, // in the audience through research-apps
      { name: 'rob', target: stale, expected: false },
    ])(
      'lets $name see $target.metadata.name: $expected',
      async ({ name, target, expected }) => {
        const decision = await decide(catalogEntityReadPermission, name);
        expect(decision).toMatchObject({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
        });
        expect(authorizeEntity(decision, target)).toBe(expected);
      },
    );
  });
});
