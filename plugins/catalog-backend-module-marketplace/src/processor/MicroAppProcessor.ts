import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} from '@backstage/catalog-model';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  applyExceptions,
  compareTiers,
  DEFAULT_TIER,
  GateResult,
  GateRun,
  getTier,
  isMicroAppEntity,
  LABEL_GATE_STATUS,
  LABEL_TIER,
  MICRO_APP_API_VERSION,
  MICRO_APP_KIND,
  MicroAppEntityV1alpha1,
  RELATION_SCAFFOLDED_FROM,
  RELATION_SCAFFOLDER_OF,
  summarizeGateRun,
  TierId,
  validateMicroAppEntity,
} from '@microapps/plugin-marketplace-common';
import type {
  AppTierState,
  GateReader,
} from '@microapps/plugin-marketplace-node';
import { createHash } from 'node:crypto';
import { createEntityReader } from '../reader/createEntityReader';

/** The result that reports a `spec.tier` above the approved tier; it warns, never promotes. */
export const TIER_REQUEST_GATE_ID = 'tier-request';

/**
 * Recognises the MicroApp kind, validates it against the kind's JSON Schema, emits its
 * relations, runs the policy gates and writes the summary labels. Entities of other kinds
 * pass through untouched.
 *
 * Only a broken entity file is a processing error. A failing gate is a governance result:
 * it is stored by the marketplace and summarised in the `microapps.dev/gate-status` label.
 *
 * @public
 */
export class MicroAppProcessor implements CatalogProcessor {
  // The collaborators are typed by what the processor calls, so the module's own gate runner,
  // recorder and tier state loader stay internal.
  constructor(
    private readonly options: {
      /** Runs the policy gates for one app against a tier. */
      runner: {
        run(options: {
          entity: MicroAppEntityV1alpha1;
          tier: TierId;
          reader: GateReader;
        }): Promise<GateRun>;
      };
      /** Reads what an entity points at (its SBOM, its source tree). */
      urlReader: UrlReaderService;
      /**
       * Lets entities point at URLs on loopback, link-local (169.254.0.0/16, fe80::/10),
       * unspecified (0.0.0.0) and cloud metadata addresses, which are refused by default even
       * when `backend.reading.allow` lists their host. The module sets it from
       * `marketplace.reading.allowInternalTargets`.
       *
       * @defaultValue false
       */
      allowInternalTargets?: boolean;
      /**
       * How long one read of an entity's target (its SBOM, its source tree) may take, in
       * milliseconds; a read over it is aborted and the gate reports `error` naming the
       * target and the limit. The module sets it from `marketplace.reading.timeoutMs`.
       *
       * @defaultValue 15000
       */
      readTimeoutMs?: number;
      /** Stores each gate run in the marketplace backend. */
      recorder?: { record(run: GateRun): Promise<void> };
      /** Without it (tests, a catalog without the backend) every app is in Discover. */
      tierStates?: {
        load(
          entityRef: string,
          cache: CatalogProcessorCache | undefined,
        ): Promise<AppTierState>;
      };
    },
  ) {}

  /** Returns `MicroAppProcessor`. */
  getProcessorName(): string {
    return 'MicroAppProcessor';
  }

  /**
   * Claims entities of the MicroApp kind; a MicroApp that does not match the kind's schema
   * throws an error naming each invalid field.
   */
  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (
      entity.apiVersion !== MICRO_APP_API_VERSION ||
      entity.kind !== MICRO_APP_KIND
    ) {
      return false;
    }
    const result = validateMicroAppEntity(entity);
    if (!result.valid) {
      // The catalog turns this into a processing error on the entity, naming each field.
      throw new InputError(`Invalid MicroApp: ${result.errors.join('; ')}`);
    }
    return true;
  }

  /**
   * For a MicroApp: emits its ownership, dependency and template relations, runs the gates
   * against its tier, records the run and writes the tier and gate status labels.
   */
  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache?: CatalogProcessorCache,
  ): Promise<Entity> {
    if (!isMicroAppEntity(entity)) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const link = (
      target: string,
      defaultKind: string,
      forward: string,
      reverse: string,
    ) => {
      const to = parseEntityRef(target, {
        defaultKind,
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({ source: self, type: forward, target: to }),
      );
      emit(
        processingResult.relation({ source: to, type: reverse, target: self }),
      );
    };

    const { spec } = entity;
    link(spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    for (const dependency of spec.dependsOn ?? []) {
      link(
        dependency,
        'Component',
        RELATION_DEPENDS_ON,
        RELATION_DEPENDENCY_OF,
      );
    }
    if (spec.template) {
      link(
        spec.template,
        'Template',
        RELATION_SCAFFOLDED_FROM,
        RELATION_SCAFFOLDER_OF,
      );
    }

    const requested = spec.tier ?? DEFAULT_TIER;
    const state: AppTierState = (await this.options.tierStates?.load(
      stringifyEntityRef(entity),
      cache,
    )) ?? {
      entityRef: stringifyEntityRef(entity),
      tier: DEFAULT_TIER,
      expired: false,
      expiresAt: null,
      exceptions: [],
    };
    // while a promotion is open the gates answer for its target (its automated stage reads
    // this run); otherwise for the higher of the requested and the approved tier
    const evaluationTier =
      state.promotionTier ??
      (compareTiers(requested, state.tier) > 0 ? requested : state.tier);
    const raw = await this.options.runner.run({
      entity,
      tier: evaluationTier,
      reader: createEntityReader({
        urlReader: this.options.urlReader,
        location,
        allowInternalTargets: this.options.allowInternalTargets,
        timeoutMs: this.options.readTimeoutMs,
      }),
    });
    const run = withTierState(raw, requested, state);
    await this.options.recorder?.record(run);

    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        labels: {
          ...entity.metadata.labels,
          // an expired Discover app keeps its tier in the marketplace; the label hides it
          [LABEL_TIER]: state.expired ? 'expired' : state.tier,
          [LABEL_GATE_STATUS]: run.status,
        },
      },
    };
  }
}

/** Applies valid exceptions and reports a requested tier above the approved one. */
function withTierState(
  run: GateRun,
  requested: TierId,
  state: AppTierState,
): GateRun {
  let results: GateResult[] = run.results;
  let inputHash = run.inputHash;
  if (state.exceptions.length) {
    results = applyExceptions(results, state.exceptions);
    // exceptions change results, so they are part of what the run was computed from
    inputHash = createHash('sha256')
      .update(inputHash)
      .update(
        JSON.stringify(
          state.exceptions.map(e => [e.gateId, e.findingId, e.expiresAt]),
        ),
      )
      .digest('hex');
  }
  if (compareTiers(requested, state.tier) > 0) {
    const want = getTier(requested).title;
    const has = getTier(state.tier).title;
    results = [
      ...results,
      {
        gateId: TIER_REQUEST_GATE_ID,
        status: 'warn',
        enforcement: 'warn',
        summary: `requests ${want}; approved: ${has}`,
        findings: [
          {
            id: `requested-${requested}`,
            severity: 'info',
            message: `spec.tier asks for ${want}, but the approved tier is ${has}. A tier is reached through a promotion request, not the YAML.`,
            location: 'spec.tier',
          },
        ],
      },
    ];
  }
  if (results === run.results) return run;
  return { ...run, inputHash, results, status: summarizeGateRun(results) };
}
