import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import type { MembershipResolver } from '@microapps/plugin-marketplace-node';

/** Direct group memberships, as `spec.memberOf` in the catalog. */
const MEMBER_OF: Record<string, string[]> = {
  'user:default/pat': ['group:default/platform-team'],
  'user:default/sam': ['group:default/security-reviewers'],
  'user:default/sven': ['group:default/security-reviewers-eu'],
  'user:default/rita': [
    'group:default/platform-team',
    'group:default/security-reviewers',
  ],
  'user:default/bea': ['group:default/budget-reviewers'],
  'user:default/ada': ['group:default/marketplace-admins'],
  'user:default/axel': ['group:default/marketplace-admins-eu'],
  'user:default/cora': ['group:default/hr-apps'],
  'user:default/rob': ['group:default/research-apps'],
  'user:default/eve': [],
};

/** Group parents, as `spec.parent` in the catalog. */
const PARENT_OF: Record<string, string> = {
  'group:default/security-reviewers-eu': 'group:default/security-reviewers',
  'group:default/marketplace-admins-eu': 'group:default/marketplace-admins',
  'group:default/hr-apps': 'group:default/hr',
  'group:default/research-apps': 'group:default/research',
};

/**
 * A MembershipResolver over a small in-memory org that, like the catalog-backed one, returns
 * the user, their groups and every ancestor of those groups.
 */
export function createFakeMembership(): jest.Mocked<MembershipResolver> {
  return {
    getClaims: jest.fn(async (userEntityRef: string) => {
      const claims = [userEntityRef];
      for (const group of MEMBER_OF[userEntityRef] ?? []) {
        for (let g: string | undefined = group; g; g = PARENT_OF[g]) {
          claims.push(g);
        }
      }
      return claims;
    }),
  };
}

/** The demo's configuration, with refs in mixed case as people write them. */
export const testConfig = new ConfigReader({
  marketplace: {
    admins: ['group:default/Marketplace-Admins'],
    reviewers: {
      security: ['group:default/security-reviewers'],
      compliance: ['group:default/compliance-reviewers'],
      budget: ['group:default/Budget-Reviewers'],
    },
  },
});

/** A signed-in user; `ownershipEntityRefs` defaults to the user's own ref. */
export function userOf(
  name: string,
  ownershipEntityRefs = [`user:default/${name}`],
): PolicyQueryUser {
  const userEntityRef = `user:default/${name}`;
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs },
  };
}
