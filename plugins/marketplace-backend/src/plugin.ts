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
  readCostCenters,
} from '@microapps/plugin-marketplace-common';
import {
  CostProvider,
  createMembershipResolver,
  marketplaceCostExtensionPoint,
  marketplaceLifecycleExtensionPoint,
  marketplaceSupportExtensionPoint,
  microAppPermissionResourceRef,
  microAppPermissionRules,
} from '@microapps/plugin-marketplace-node';
import { AuditService } from './audit/AuditService';
import { readApiBounds } from './bounds/apiBounds';
import { DatabaseMarketplaceStore } from './database/DatabaseMarketplaceStore';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { CostAlertService } from './cost/CostAlerts';
import { readCostConfig } from './cost/costConfig';
import { CostImporter, scheduleCostImportJob } from './cost/CostImport';
import { FocusCostProvider } from './cost/focus/FocusCostProvider';
import { readFocusLimits } from './cost/focus/focusLimits';
import { EvidenceService } from './evidence/EvidenceService';
import { ActivitySignalRegistry, createIdleDetection } from './lifecycle/idle';
import { ChargebackService } from './reports/ChargebackService';
import { AccessGuard } from './service/AccessGuard';
import { createSupport, MetricsProviderRegistry } from './support';
import { AppDirectory } from './service/AppDirectory';
import { DefaultMarketplaceService } from './service/MarketplaceService';
import { Notifier } from './service/Notifier';
import { ExpiryService } from './service/lifecycle/ExpiryService';
import { scheduleExpiryJob } from './service/lifecycle/scheduleExpiryJob';
import { createRouter } from './service/router';
import { OperationsFigures } from './service/OperationsFigures';
import { CostFigures } from './cost/CostFigures';
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
    const costProviders: CostProvider[] = [];
    env.registerExtensionPoint(marketplaceCostExtensionPoint, {
      addCostProvider(...providers) {
        for (const provider of providers) {
          if (costProviders.some(p => p.id === provider.id)) {
            throw new Error(
              `A cost provider with the id '${provider.id}' is already registered`,
            );
          }
          costProviders.push(provider);
        }
      },
    });
    const activitySignals = new ActivitySignalRegistry();
    env.registerExtensionPoint(marketplaceLifecycleExtensionPoint, {
      addActivitySignal: (...signals) =>
        activitySignals.addActivitySignal(...signals),
    });
    const metricsProviders = new MetricsProviderRegistry();
    env.registerExtensionPoint(marketplaceSupportExtensionPoint, {
      addMetricsProvider: (...providers) =>
        metricsProviders.addMetricsProvider(...providers),
    });
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
        const costConfig = readCostConfig(config);
        // checked even without a FOCUS folder, so a bad value is found before it matters
        const focusLimits = readFocusLimits(config);
        const apiBounds = readApiBounds(config);
        const { currency } = costConfig;
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
        // idle detection: activity signals, the usage route and the daily job
        const idle = await createIdleDetection({
          config,
          database,
          scheduler: deps.scheduler,
          logger,
          directory,
          changes,
          registry: activitySignals,
        });
        // support and SLA: the metrics route, SLA figures, the providers' pull job
        const support = await createSupport({
          config,
          database,
          scheduler: deps.scheduler,
          logger,
          auth,
          catalog: deps.catalog,
          directory,
          registry: metricsProviders,
        });
        const tiers = new TierService({
          ...common,
          membership,
          config: workflowConfig,
        });
        const promotions = new PromotionService({
          ...common,
          membership,
          config: workflowConfig,
          currency,
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

        const costs = new DatabaseCostStore(await database.getClient());
        const apps = new DefaultMarketplaceService({
          ...common,
          figures: new OperationsFigures({
            cost: new CostFigures({ costs, currency }),
            sla: support.slaFigures,
            activity: idle.detector,
          }),
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
        // cost providers (FOCUS when marketplace.cost.focus.directory is set), then alerts
        if (costConfig.focus) {
          if (costProviders.some(p => p.id === 'focus')) {
            throw new Error(
              "A cost provider with the id 'focus' is registered; it clashes with marketplace.cost.focus",
            );
          }
          costProviders.unshift(
            new FocusCostProvider({
              config: costConfig.focus,
              logger,
              limits: focusLimits,
            }),
          );
        }
        await scheduleCostImportJob({
          scheduler: deps.scheduler,
          providers: costProviders,
          frequency: costConfig.importEvery,
          importer: new CostImporter({
            providers: costProviders,
            costs,
            logger,
            currency,
            alerts: new CostAlertService({
              costs,
              directory,
              changes,
              logger,
              thresholds: costConfig.alertThresholds,
              currency,
            }),
          }),
        });

        const reports = new ChargebackService({
          catalog: deps.catalog,
          auth,
          guard,
          logger,
          currency,
          costs,
          costCenters: readCostCenters(config),
          getCostCenterCosts: month => costs.getCostCenterCosts(month),
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            bounds: apiBounds,
            apps,
            expiry,
            promotions,
            exceptions,
            tiers,
            audit: new AuditService(common),
            evidence: new EvidenceService({ ...common, promotions, currency }),
            usage: idle.usage,
            reports,
            metrics: support.ingest,
          }),
        );
      },
    });
  },
});
