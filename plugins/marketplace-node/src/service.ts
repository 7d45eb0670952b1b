import {
  AuthService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ExceptionCover,
  GateRun,
  TierId,
} from '@microapps/plugin-marketplace-common';

/**
 * What the catalog module needs from the marketplace to label and evaluate an app.
 *
 * @public
 */
export type AppTierState = {
  entityRef: string;
  /** The effective tier, decided by the workflow. */
  tier: TierId;
  /**
   * A Discover app past its expiry: the catalog labels it `expired` and the marketplace hides
   * it until it is renewed.
   */
  expired: boolean;
  /** When a Discover app expires (or expired) unless renewed; null for other tiers. */
  expiresAt: string | null;
  /** The target of the app's open promotion, if one is open. */
  promotionTier?: TierId;
  /** Exceptions that are valid now. */
  exceptions: ExceptionCover[];
};

/**
 * A request to register an app with the marketplace.
 *
 * @public
 */
export type RegisterAppRequest = {
  /** The MicroApp's entity ref, e.g. `microapp:default/expense-helper`. */
  entityRef: string;
  /**
   * Entity ref of the user on whose behalf the app is registered (e.g. who ran the
   * template). Defaults to the calling plugin.
   */
  registeredBy?: string;
};

/**
 * The marketplace's record of a registered app.
 *
 * @public
 */
export type AppRegistration = {
  /** The app's entity ref, in lower case as the marketplace stores it. */
  entityRef: string;
  /** The effective tier: `discover` for a new app. */
  tier: TierId;
  /** When the app expires unless renewed; null unless it is in Discover. */
  expiresAt: string | null;
  /** False when the app was registered before; its expiry is then unchanged. */
  created: boolean;
};

/**
 * What the catalog and scaffolder modules ask of the marketplace backend.
 *
 * @public
 */
export interface MarketplaceService {
  /**
   * Stores a gate run. A run whose input hash and results equal the app's latest run only
   * refreshes that run's time, so history keeps changes, not repetitions.
   */
  recordGateRun(run: GateRun): Promise<{ id: string; created: boolean }>;
  /** Tier states of many apps at once; apps never seen are in Discover. */
  getTierStates(entityRefs: string[]): Promise<AppTierState[]>;
  /**
   * Registers an app with the marketplace: it enters Discover with an expiry
   * (`marketplace.tiers.discover.expiresAfterDays`). Idempotent: registering it again
   * returns it unchanged with `created: false`. Only the scaffolder and the catalog may call it.
   */
  registerApp(request: RegisterAppRequest): Promise<AppRegistration>;
}

/**
 * Calls the marketplace backend's internal routes with the calling plugin's service
 * credentials, found through discovery.
 *
 * @public
 */
export class DefaultMarketplaceServiceClient implements MarketplaceService {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  /** {@inheritDoc MarketplaceService.recordGateRun} */
  async recordGateRun(run: GateRun): Promise<{ id: string; created: boolean }> {
    return this.request('POST', '/internal/gate-runs', run);
  }

  /** {@inheritDoc MarketplaceService.getTierStates} */
  async getTierStates(entityRefs: string[]): Promise<AppTierState[]> {
    const { items } = await this.request<{ items: AppTierState[] }>(
      'POST',
      '/internal/app-states',
      { entityRefs },
    );
    return items;
  }

  /** {@inheritDoc MarketplaceService.registerApp} */
  async registerApp(request: RegisterAppRequest): Promise<AppRegistration> {
    return this.request('POST', '/internal/apps', request);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl('marketplace');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'marketplace',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * The marketplace backend as a service for other plugins' modules. Its default factory calls
 * the backend over HTTP, so modules never import the backend package.
 *
 * @public
 */
export const marketplaceServiceRef = createServiceRef<MarketplaceService>({
  id: 'marketplace.service',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: deps => new DefaultMarketplaceServiceClient(deps),
    }),
});
