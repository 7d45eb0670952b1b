import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { MetricsIngestRequest } from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from './gates';

/**
 * Lets catalog modules add policy gates to the ones the marketplace runs.
 *
 * @public
 */
export interface PolicyGatesExtensionPoint {
  /** Adds gates; an id that is already taken is refused at startup. */
  addGates(...gates: PolicyGate[]): void;
}

/**
 * The extension point through which other catalog backend modules add gates. It is
 * registered by `@microapps/plugin-catalog-backend-module-marketplace`, so a module that uses
 * it has `pluginId: 'catalog'`.
 *
 * @public
 */
export const policyGatesExtensionPoint =
  createExtensionPoint<PolicyGatesExtensionPoint>({
    id: 'marketplace.policy-gates',
  });

/** Monthly totals of one cost source; storing a batch replaces what that source had. @public */
export type CostBatch = {
  /** Unique across providers, e.g. `focus:2026-11.csv`; prefix it with the provider's id. */
  source: string;
  /** Totals charged to apps. `amount` is an exact decimal string, e.g. `12.5`. */
  totals: Array<{
    entityRef: string;
    /** `YYYY-MM`. */
    month: string;
    amount: string;
    currency: string;
  }>;
  /** Totals that name no app but a cost center (e.g. untagged rows with a cost center tag). */
  costCenterTotals?: Array<{
    costCenter: string;
    month: string;
    amount: string;
    currency: string;
  }>;
};

/**
 * A source of actual costs. The marketplace's scheduled cost import (`marketplace-cost-import`)
 * reads every provider, stores each batch, then checks the overrun alerts.
 *
 * @public
 */
export interface CostProvider {
  /** Stable id, e.g. `focus`. */
  readonly id: string;
  /** The provider's current batches. A source it no longer returns keeps its stored rows. */
  readCosts(): Promise<CostBatch[]>;
}

/** Lets modules add cost providers to the marketplace backend. @public */
export interface MarketplaceCostExtensionPoint {
  /** Adds cost providers. */
  addCostProvider(...providers: CostProvider[]): void;
}

/**
 * Cost providers, registered by `@microapps/plugin-marketplace-backend`; a module that uses it
 * has `pluginId: 'marketplace'`. The built-in FOCUS CSV provider is added when
 * `marketplace.cost.focus.directory` is set.
 *
 * @public
 */
export const marketplaceCostExtensionPoint =
  createExtensionPoint<MarketplaceCostExtensionPoint>({
    id: 'marketplace.cost-providers',
  });

/**
 * A source of operational metrics (availability samples and incidents), e.g. PagerDuty or
 * Prometheus. The marketplace pulls every provider on a schedule and stores what it returns
 * like metrics posted to `POST /apps/{namespace}/{name}/metrics`.
 *
 * @public
 */
export interface SupportMetricsProvider {
  /** Stable id, e.g. `pagerduty`; stored as the metrics' source. */
  readonly id: string;
  /** Metrics of these apps since `since`; apps it knows nothing about are left out. */
  readMetrics(request: {
    entityRefs: string[];
    since: Date;
  }): Promise<Array<{ entityRef: string } & MetricsIngestRequest>>;
}

/** Lets modules add metrics providers to the marketplace backend. @public */
export interface MarketplaceSupportExtensionPoint {
  /** Adds metrics providers. */
  addMetricsProvider(...providers: SupportMetricsProvider[]): void;
}

/**
 * Metrics providers, registered by `@microapps/plugin-marketplace-backend`; a module that uses
 * it has `pluginId: 'marketplace'`.
 *
 * @public
 */
export const marketplaceSupportExtensionPoint =
  createExtensionPoint<MarketplaceSupportExtensionPoint>({
    id: 'marketplace.support-metrics',
  });

/**
 * A signal that an app is in use, for idle detection. The built-in signals are catalog
 * changes (a new gate run for a changed manifest or SBOM) and `POST /apps/{namespace}/{name}/usage`.
 *
 * @public
 */
export interface ActivitySignal {
  /** Stable id, e.g. `catalog` or `usage`. */
  readonly id: string;
  /** The newest activity per app ref; apps it knows nothing about are left out. */
  lastActivity(entityRefs: string[]): Promise<Map<string, Date>>;
}

/** Lets modules add activity signals to the marketplace backend. @public */
export interface MarketplaceLifecycleExtensionPoint {
  /** Adds activity signals. */
  addActivitySignal(...signals: ActivitySignal[]): void;
}

/**
 * Activity signals, registered by `@microapps/plugin-marketplace-backend`; a module that uses
 * it has `pluginId: 'marketplace'`.
 *
 * @public
 */
export const marketplaceLifecycleExtensionPoint =
  createExtensionPoint<MarketplaceLifecycleExtensionPoint>({
    id: 'marketplace.lifecycle-signals',
  });
