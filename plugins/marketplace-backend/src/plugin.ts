import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  marketplacePermissions,
  tierOverridePermission,
  reportReadPermission,
} from '@microapps/plugin-marketplace-common';
import {
  createMembershipResolver,
  microAppPermissionResourceRef,
  microAppPermissionRules,
} from '@microapps/plugin-marketplace-node';
import { AuditService } from './audit/AuditService';
import { DatabaseMarketplaceStore } from './database/DatabaseMarketplaceStore';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { scheduleCostImportJob } from './cost/focus/FocusCostImporter';
import { EvidenceService } from './evidence/EvidenceService';
import { AccessGuard } from './service/AccessGuard';
import { AppDirectory } from './service/AppDirectory';
import { DefaultMarketplaceService } from './service/MarketplaceService';
import { Notifier } from './service/Notifier';
import { ExpiryService } from './service/lifecycle/ExpiryService';
import { scheduleExpiryJob } from './service/lifecycle/scheduleExpiryJob';
import { createRouter } from './service/router';
import { ChangeRunner } from './service/workflow/ChangeRunner';
import { ExceptionService } from './service/workflow/ExceptionService';
import { PromotionService } from './service/workflow/PromotionService';
import {
  readWorkflowConfig,
  unstaffedStages,
} from './service/workflow/readWorkflowConfig';
import { scheduleExceptionJobs } from './service/workflow/scheduleExceptionJobs';
import { TierService } from './service/workflow/TierService';
import { renewalWindowDays } from './service/lifecycle/expiryRules';

/**
 * The marketplace backend plugin: gate runs, the promotion workflow, exceptions, the audit
 * log and evidence, served under `/api/marketplace`.
 *
 * @public
 */
export const marketplacePlugin = createBackendPlugin({
  pluginId: 'marketplace',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, database, httpAuth, httpRouter, auth, logger } = deps;
        const workflowConfig = readWorkflowConfig(config);
        for (const stage of unstaffedStages(workflowConfig)) {
          logger.warn(
            `No reviewers configured for stage '${stage}' (marketplace.reviewers.${stage}); requests that need it cannot complete`,
          );
        }
        const currency =
          config.getOptionalString('marketplace.cost.currency') ?? 'EUR';
        const store = await DatabaseMarketplaceStore.create({ database });
        const directory = new AppDirectory({ catalog: deps.catalog, auth });
        const membership = createMembershipResolver({
          catalog: deps.catalog,
          auth,
        });
        const guard = new AccessGuard(deps.permissions);
        const changes = new ChangeRunner({
          store,
          directory,
          logger,
          auditor: deps.auditor,
          notifier: new Notifier({
            notifications: deps.notifications,
            logger,
          }),
        });
        const common = { store, directory, guard, changes };
        const tiers = new TierService({
          ...common,
          membership,
          config: workflowConfig,
        });
        const promotions = new PromotionService({
          ...common,
          membership,
          config: workflowConfig,
        });
        const exceptions = new ExceptionService({
          ...common,
          membership,
          promotions,
          config: workflowConfig,
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: microAppPermissionResourceRef,
          permissions: marketplacePermissions.filter(
            p => p !== tierOverridePermission && p !== reportReadPermission,
          ),
          rules: Object.values(microAppPermissionRules),
          getResources: refs => tiers.loadResources(refs),
        });
        deps.permissionsRegistry.addPermissions([
          tierOverridePermission,
          reportReadPermission,
        ]);

        await scheduleExceptionJobs({
          scheduler: deps.scheduler,
          config,
          logger,
          exceptions,
        });

        const apps = new DefaultMarketplaceService({
          ...common,
          catalog: deps.catalog,
          promotions,
          currency,
          discoverExpiresAfterDays: workflowConfig.discoverExpiresAfterDays,
          discoverRenewalWindowDays: renewalWindowDays(
            workflowConfig.discoverWarnDaysBefore,
          ),
        });
        const expiry = new ExpiryService({
          ...common,
          apps,
          logger,
          config: workflowConfig,
        });
        await scheduleExpiryJob({
          scheduler: deps.scheduler,
          config,
          logger,
          expiry,
        });
        // only when marketplace.cost.focus.directory is set
        await scheduleCostImportJob({
          scheduler: deps.scheduler,
          config,
          logger,
          store: new DatabaseCostStore(await database.getClient()),
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            apps,
            expiry,
            promotions,
            exceptions,
            tiers,
            audit: new AuditService(common),
            evidence: new EvidenceService({ ...common, promotions, currency }),
          }),
        );
      },
    });
  },
});
