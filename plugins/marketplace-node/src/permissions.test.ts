import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
} from '@backstage/plugin-permission-common';
import {
  createMicroAppConditionalDecision,
  matchesMicroAppCriteria,
  microAppConditions,
  MicroAppResource,
  microAppPermissionRules,
} from './permissions';
import { promotionReviewPermission } from '@microapps/plugin-marketplace-common';

const app: MicroAppResource = {
  entityRef: 'microapp:default/ledger',
  owners: ['group:default/platform-team'],
  tier: 'discover',
  submitter: 'user:default/pat',
  requestStages: ['security', 'cost'],
  reviewers: {
    security: ['group:default/security-reviewers'],
    compliance: ['group:default/compliance-reviewers'],
    cost: ['group:default/budget-reviewers'],
  },
};

/** The default review condition of the governance policy. */
const reviewCriteria = (
  user: string,
  claims: string[],
): PermissionCriteria<PermissionCondition<'microapp'>> => ({
  allOf: [
    microAppConditions.isStageReviewer({ claims }),
    microAppConditions.isNotSubmitter({ claims: [user] }),
    { not: microAppConditions.isAppOwner({ claims }) },
  ],
});

describe('MicroApp permission rules', () => {
  const rules = Object.values(microAppPermissionRules);
  const authorize = createConditionAuthorizer(rules as any);
  const transform = createConditionTransformer(rules as any);

  it.each([
    [
      'a security reviewer',
      'user:default/sam',
      ['user:default/sam', 'group:default/security-reviewers'],
      true,
    ],
    [
      'the submitter, though a reviewer',
      'user:default/pat',
      ['user:default/pat', 'group:default/security-reviewers'],
      false,
    ],
    [
      'an owner who reviews',
      'user:default/rita',
      [
        'user:default/rita',
        'group:default/Platform-Team',
        'group:default/security-reviewers',
      ],
      false,
    ],
    [
      'a reviewer of a stage already decided',
      'user:default/cora',
      ['user:default/cora', 'group:default/compliance-reviewers'],
      false,
    ],
    [
      'someone without a group',
      'user:default/eve',
      ['user:default/eve'],
      false,
    ],
  ])(
    'decides review for %s with apply and with toQuery alike',
    (_, user, claims, allowed) => {
      const decision = createMicroAppConditionalDecision(
        promotionReviewPermission,
        reviewCriteria(user, claims),
      );
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(authorize(decision, app)).toBe(allowed);
      const query = transform(
        decision.conditions as PermissionCriteria<
          PermissionCondition<'microapp'>
        >,
      );
      expect(matchesMicroAppCriteria(app, query as any)).toBe(allowed);
    },
  );

  it('checks one stage when asked, and tiers', () => {
    const { isStageReviewer, hasTier } = microAppPermissionRules;
    const cora = ['group:default/compliance-reviewers'];
    expect(
      isStageReviewer.apply(app, { claims: cora, stage: 'compliance' }),
    ).toBe(true);
    expect(isStageReviewer.apply(app, { claims: cora })).toBe(false);
    expect(hasTier.apply(app, { tiers: ['vetted', 'enterprise'] })).toBe(false);
    expect(hasTier.toQuery({ tiers: ['discover'] })).toEqual({
      key: 'tier',
      values: ['discover'],
    });
    expect(
      matchesMicroAppCriteria(app, { key: 'tier', values: ['discover'] }),
    ).toBe(true);
    // without an open request there is no submitter to exclude
    const { submitter: _, ...noRequest } = app;
    expect(
      microAppPermissionRules.isNotSubmitter.apply(noRequest, {
        claims: ['user:default/pat'],
      }),
    ).toBe(true);
  });
});
