import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  makeValidator,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_TIER,
  GateRun,
  GateRunStatus,
  GateStatus,
  isMicroAppEntity,
  LABEL_GATE_STATUS,
  LABEL_TIER,
  MicroAppEntityV1alpha1,
  TierId,
  AppState,
  AppSummary,
  GateRunResponse,
  ListAppsQuery,
} from '@microapps/plugin-marketplace-common';
import type {
  AppRegistration,
  RegisterAppRequest,
} from '@microapps/plugin-marketplace-node';
import type { AppRecord, MarketplaceStore } from '../database/MarketplaceStore';
import { actorOf } from './actorOf';
import { AppDirectory, AppRef, appEntityRef } from './AppDirectory';
import {
  DAY_MS,
  DEFAULT_RENEWAL_WINDOW_DAYS,
  isExpired,
  renewalOf,
} from './lifecycle/expiryRules';
import type { FiguresInput, OperationsFigures } from './OperationsFigures';
import type { ChangeRunner } from './workflow/ChangeRunner';
import type { PromotionService } from './workflow/PromotionService';

/** The marketplace's operations, called by the router with the caller's credentials. */
export interface MarketplaceService {
  listApps(
    query: ListAppsQuery,
    credentials: BackstageCredentials,
  ): Promise<{ items: AppSummary[]; nextCursor?: string }>;
  getApp(ref: AppRef, credentials: BackstageCredentials): Promise<AppState>;
  getGates(
    ref: AppRef,
    credentials: BackstageCredentials,
  ): Promise<GateRunResponse>;
  /** Stores a run from the catalog; an open promotion waiting only on gates completes. */
  recordGateRun(run: GateRun): Promise<{ id: string; created: boolean }>;
  /** Registers an app in Discover with its expiry; a repeat returns it unchanged. */
  registerApp(
    request: RegisterAppRequest,
    credentials: BackstageCredentials,
  ): Promise<AppRegistration>;
}

const validator = makeValidator();

/**
 * Joins what the catalog knows of an app (read with the caller's credentials, so the
 * catalog's permissions decide what the caller sees) with the marketplace's own records.
 */
export class DefaultMarketplaceService implements MarketplaceService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      store: MarketplaceStore;
      directory: AppDirectory;
      promotions: PromotionService;
      changes: ChangeRunner;
      currency: string;
      /** Days a Discover app lives after its registration. */
      discoverExpiresAfterDays: number;
      /** Days before the expiry from which owners may renew; default 14 (the first warning). */
      discoverRenewalWindowDays?: number;
      /** Cost, SLA and activity figures; without it the answers carry none. */
      figures?: OperationsFigures;
      /** The clock; tests move it. */
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async listApps(
    query: ListAppsQuery,
    credentials: BackstageCredentials,
  ): Promise<{ items: AppSummary[]; nextCursor?: string }> {
    const { catalog, store } = this.options;
    const limit = query.limit ?? 50;
    const response = query.cursor
      ? await catalog.queryEntities(
          { cursor: query.cursor, limit },
          { credentials },
        )
      : await catalog.queryEntities(
          {
            filter: {
              kind: 'MicroApp',
              ...(query.tier && {
                [`metadata.labels.${LABEL_TIER}`]: query.tier,
              }),
              ...(query.gateStatus && {
                [`metadata.labels.${LABEL_GATE_STATUS}`]: query.gateStatus,
              }),
              ...(query.classification && {
                'spec.data.classification': query.classification,
              }),
              ...(query.costCenter && {
                'spec.cost.center': query.costCenter,
              }),
              ...(query.owner && {
                [`relations.${RELATION_OWNED_BY}`]: normalizeOwner(query.owner),
              }),
            },
            ...(query.q && {
              fullTextFilter: {
                term: query.q,
                fields: [
                  'metadata.name',
                  'metadata.title',
                  'metadata.description',
                ],
              },
            }),
            orderFields: { field: 'metadata.name', order: 'asc' },
            // a count of what the caller may not see would leak; never ask for it
            totalItems: 'exclude',
            limit,
          },
          { credentials },
        );
    const apps = response.items.filter(isMicroAppEntity);
    const records = await store.getApps(apps.map(e => stringifyEntityRef(e)));
    const now = this.now();
    // expired apps are hidden unless asked for; the label can lag behind the store, so the
    // store decides (a page may come back shorter than `limit`)
    const wantExpired = query.tier === 'expired';
    const visible = apps
      .map(entity => ({ entity, app: this.summarize(entity, records, now) }))
      .filter(({ app }) => (app.tier === 'expired') === wantExpired);
    const figures = await this.options.figures?.summaries(
      visible.map(({ entity, app }) => figuresInput(entity, app)),
      now,
    );
    return {
      items: visible.map(({ app }) => {
        const operations = figures?.get(app.entityRef);
        return operations ? { ...app, operations } : app;
      }),
      ...(response.pageInfo.nextCursor && {
        nextCursor: response.pageInfo.nextCursor,
      }),
    };
  }

  async getApp(
    ref: AppRef,
    credentials: BackstageCredentials,
  ): Promise<AppState> {
    const { store, directory, promotions } = this.options;
    const entity = await directory.getVisibleApp(ref, credentials);
    const entityRef = appEntityRef(ref);
    const [records, latest, exceptions, [active], [decided]] =
      await Promise.all([
        store.getApps([entityRef]),
        store.getLatestGateRun(entityRef),
        store.listExceptions([entityRef]),
        // at most one request is open or returned
        promotions.listForApp(entityRef, ['open', 'rejected'], credentials),
        // newest first: what the app's last request came to
        promotions.listForApp(
          entityRef,
          ['approved', 'withdrawn'],
          credentials,
          1,
        ),
      ]);
    const now = this.now();
    // the list's operations summary is replaced by the details below
    const { operations: _listOperations, ...summary } = this.summarize(
      entity,
      records,
      now,
    );
    const counts: Partial<Record<GateStatus, number>> = {};
    for (const result of latest?.results ?? []) {
      counts[result.status] = (counts[result.status] ?? 0) + 1;
    }
    const { support = {} } = entity.spec;
    const record = records.get(entityRef);
    const operations = await this.options.figures?.details(
      figuresInput(entity, summary),
      now,
    );
    return {
      ...summary,
      expiresAt: expiryOf(record),
      renewal: renewalOf(record, now, {
        expiresAfterDays: this.options.discoverExpiresAfterDays,
        windowDays:
          this.options.discoverRenewalWindowDays ?? DEFAULT_RENEWAL_WINDOW_DAYS,
      }),
      gates: {
        status: summary.gateStatus,
        ...(latest && { evaluatedAt: latest.evaluatedAt }),
        counts,
      },
      promotion: active ?? null,
      lastDecided: decided ?? null,
      exceptions,
      support: {
        ...(support.slaTier && { slaTier: support.slaTier }),
        ...(support.roster && { roster: support.roster }),
        ...(support.contact && { contact: support.contact }),
        ...(support.runbook && { runbook: support.runbook }),
      },
      ...(operations && { operations }),
    };
  }

  async getGates(
    ref: AppRef,
    credentials: BackstageCredentials,
  ): Promise<GateRunResponse> {
    const entity = await this.options.directory.getVisibleApp(ref, credentials);
    const latest = await this.options.store.getLatestGateRun(appEntityRef(ref));
    if (!latest) {
      return {
        evaluatedAt: null,
        tier: requestedTier(entity),
        status: 'pending',
        results: [],
      };
    }
    return {
      evaluatedAt: latest.evaluatedAt,
      tier: latest.tier,
      status: latest.status,
      results: latest.results,
    };
  }

  async recordGateRun(run: GateRun): Promise<{ id: string; created: boolean }> {
    const { store, changes, promotions } = this.options;
    const { audit, ...stored } = await store.recordGateRun(
      run,
      'plugin:catalog',
    );
    if (audit) {
      await changes.afterCommit({ audit: [audit] });
      await promotions.advanceApp(run.entityRef, 'plugin:catalog');
    }
    return stored;
  }

  async registerApp(
    request: RegisterAppRequest,
    credentials: BackstageCredentials,
  ): Promise<AppRegistration> {
    const { store, changes, discoverExpiresAfterDays } = this.options;
    const entityRef = parseAppRef(request.entityRef);
    const actor = actorOf(credentials);
    const registeredBy =
      request.registeredBy === undefined
        ? actor
        : parseRef(request.registeredBy, 'registeredBy');
    const registeredAt = this.now();
    const { app, created, audit } = await store.registerApp({
      entityRef,
      registeredBy,
      actor,
      registeredAt,
      discoverExpiresAt: new Date(
        registeredAt.getTime() + discoverExpiresAfterDays * DAY_MS,
      ),
    });
    if (audit) await changes.afterCommit({ audit: [audit] });
    return {
      entityRef: app.entityRef,
      tier: app.effectiveTier,
      expiresAt: expiryOf(app),
      created,
    };
  }

  private summarize(
    entity: MicroAppEntityV1alpha1,
    records: Map<string, AppRecord>,
    now: Date,
  ): AppSummary {
    const entityRef = stringifyEntityRef(entity);
    const record = records.get(entityRef.toLocaleLowerCase('en-US'));
    const labels = entity.metadata.labels ?? {};
    return {
      entityRef,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
      title: entity.metadata.title ?? entity.metadata.name,
      ...(entity.metadata.description && {
        description: entity.metadata.description,
      }),
      owner: ownerOf(entity),
      // the store decides the tier; the label can lag until the catalog re-processes
      tier: isExpired(record, now)
        ? 'expired'
        : record?.effectiveTier ??
          (labels[LABEL_TIER] as AppSummary['tier']) ??
          DEFAULT_TIER,
      requestedTier: requestedTier(entity),
      gateStatus:
        record?.gateStatus ?? labelGateStatus(labels[LABEL_GATE_STATUS]),
      ...(record && { evaluatedAt: record.updatedAt }),
      ...(entity.spec.data?.classification && {
        classification: entity.spec.data.classification,
      }),
      ...(entity.spec.support?.slaTier && {
        slaTier: entity.spec.support.slaTier,
      }),
      cost: {
        center: entity.spec.cost.center,
        monthlyForecast: entity.spec.cost.monthlyForecast,
        currency: this.options.currency,
      },
    };
  }
}

function figuresInput(
  entity: MicroAppEntityV1alpha1,
  app: AppSummary,
): FiguresInput {
  return {
    entityRef: app.entityRef,
    tier: app.tier,
    ...(app.slaTier && { slaTier: app.slaTier }),
    monthlyForecast: entity.spec.cost.monthlyForecast,
    support: {
      ...(entity.spec.support?.runbook && {
        runbook: entity.spec.support.runbook,
      }),
      ...(entity.spec.support?.roster && {
        roster: entity.spec.support.roster,
      }),
    },
  };
}

/** The expiry of an app in Discover; Vetted and Enterprise apps do not expire. */
function expiryOf(record: AppRecord | undefined): string | null {
  return record?.effectiveTier === 'discover' ? record.expiresAt ?? null : null;
}

/** A full entity ref (kind, optional namespace, name) in lower case; 400 naming `field`. */
function parseRef(value: string, field: string): string {
  let ref;
  try {
    ref = parseEntityRef(value);
  } catch (error) {
    throw new InputError(
      `${field} is not an entity ref: ${(error as Error).message}`,
    );
  }
  // refs are case-insensitive; a namespace is checked in the lower case the catalog keeps
  const namespace = ref.namespace.toLocaleLowerCase('en-US');
  if (
    !validator.isValidNamespace(namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    throw new InputError(
      `${field} '${value}' has an invalid namespace or name`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

/** The entity ref of a MicroApp, e.g. `microapp:default/expense-helper`; 400 otherwise. */
function parseAppRef(value: string): string {
  const ref = parseRef(value, 'entityRef');
  if (!ref.startsWith('microapp:')) {
    throw new InputError(
      `entityRef must be the ref of a MicroApp (microapp:<namespace>/<name>), got '${value}'`,
    );
  }
  return ref;
}

function requestedTier(entity: MicroAppEntityV1alpha1): TierId {
  return entity.spec.tier ?? DEFAULT_TIER;
}

function labelGateStatus(value: string | undefined): GateRunStatus | 'pending' {
  return value === 'pass' || value === 'warn' || value === 'fail'
    ? value
    : 'pending';
}

function ownerOf(entity: Entity): string {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  return (
    relation?.targetRef ?? String((entity.spec as { owner?: string }).owner)
  );
}

function normalizeOwner(owner: string): string {
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  );
}
