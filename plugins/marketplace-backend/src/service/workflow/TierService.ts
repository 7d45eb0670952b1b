import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  compareTiers,
  getTier,
  TierId,
  tierOverridePermission,
} from '@microapps/plugin-marketplace-common';
import type {
  AppTierState,
  MicroAppResource,
} from '@microapps/plugin-marketplace-node';
import { userOf } from '../actorOf';
import {
  AppRef,
  appEntityRef,
  governanceLink,
  ownersOf,
} from '../AppDirectory';
import { groupBy } from '../groupBy';
import { isExpired } from '../lifecycle/expiryRules';
import { nowOf, type WorkflowDeps } from './WorkflowDeps';

/** The effective tier: what the catalog labels show, demotion, and permission resources. */
export class TierService {
  constructor(private readonly options: WorkflowDeps) {}

  async demote(
    ref: AppRef,
    body: { targetTier: TierId; reason: string },
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; tier: TierId }> {
    const { directory, guard, changes } = this.options;
    const admin = userOf(credentials);
    await guard.require(tierOverridePermission, credentials);
    await directory.getVisibleApp(ref, credentials);
    const entityRef = appEntityRef(ref);
    return changes.run(entityRef, async tx => {
      const from = tx.app.effectiveTier;
      if (compareTiers(body.targetTier, from) >= 0) {
        throw new ConflictError(
          `'${entityRef}' is ${
            getTier(from).title
          }; targetTier must be below it`,
        );
      }
      const at = nowOf(this.options).toISOString();
      await tx.setEffectiveTier(body.targetTier, at);
      const entry = await tx.appendAudit({
        actor: admin,
        action: 'tier.demoted',
        entityRef,
        data: { from, to: body.targetTier, reason: body.reason },
      });
      return {
        result: { entityRef, tier: body.targetTier },
        audit: [entry],
        notices: [
          {
            to: [entityRef],
            title: `Demoted to ${getTier(body.targetTier).title}`,
            description: body.reason,
            link: governanceLink(entityRef),
            severity: 'high',
          },
        ],
        refresh: [entityRef],
      };
    });
  }

  /** Effective tiers, open promotion targets and valid exceptions of many apps at once. */
  async getTierStates(entityRefs: string[]): Promise<AppTierState[]> {
    const { store } = this.options;
    const refs = [...new Set(entityRefs.map(r => appEntityRef(r)))];
    const now = nowOf(this.options);
    const [apps, active, exceptions] = await Promise.all([
      store.getApps(refs),
      store.getActivePromotions(refs),
      store.listExceptions(refs, { validAt: now }),
    ]);
    const exceptionsOf = groupBy(exceptions, e => e.entityRef);
    return refs.map(entityRef => {
      const promotion = active.get(entityRef);
      const app = apps.get(entityRef);
      return {
        entityRef,
        tier: app?.effectiveTier ?? 'discover',
        expired: isExpired(app, now),
        expiresAt:
          app?.effectiveTier === 'discover' ? app.expiresAt ?? null : null,
        ...(promotion?.status === 'open' && {
          promotionTier: promotion.targetTier,
        }),
        exceptions: (exceptionsOf.get(entityRef) ?? []).map(
          ({ gateId, findingId, expiresAt }) => ({
            gateId,
            findingId,
            expiresAt,
          }),
        ),
      };
    });
  }

  /** Permission resources of apps, for the permission framework's `getResources`. */
  async loadResources(
    resourceRefs: string[],
  ): Promise<(MicroAppResource | undefined)[]> {
    const { store, directory, config } = this.options;
    const refs = resourceRefs.map(r => appEntityRef(r));
    const [entities, apps, active] = await Promise.all([
      directory.getApps(refs),
      store.getApps(refs),
      store.getActivePromotions(refs),
    ]);
    return refs.map(entityRef => {
      const entity = entities.get(entityRef);
      if (!entity) return undefined;
      const promotion = active.get(entityRef);
      return {
        entityRef,
        owners: ownersOf(entity),
        tier: apps.get(entityRef)?.effectiveTier ?? 'discover',
        ...(promotion && { submitter: promotion.submitter }),
        requestStages: promotion?.stageIds.filter(s => s !== 'automated') ?? [],
        reviewers: config.reviewers,
      };
    });
  }
}
