import type { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import type { MembershipResolver } from '@microapps/plugin-marketplace-node';
import {
  createMarketplacePolicyDecider,
  MarketplacePolicyDecider,
} from './createMarketplacePolicyDecider';

/**
 * The complete governance policy: the marketplace's rules for catalog reads and marketplace
 * permissions, and ALLOW for everything else (as the allow-all policy it replaces).
 *
 * @public
 */
export class MarketplacePermissionPolicy implements PermissionPolicy {
  private readonly decider: MarketplacePolicyDecider;

  constructor(options: { config: Config; membership: MembershipResolver }) {
    this.decider = createMarketplacePolicyDecider(options);
  }

  /** The marketplace's decision on the request; ALLOW for permissions it does not govern. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      (await this.decider.decide(request, user)) ?? {
        result: AuthorizeResult.ALLOW,
      }
    );
  }
}
