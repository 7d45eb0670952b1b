import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} from '@backstage/catalog-model';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  DEFAULT_TIER,
  isMicroAppEntity,
  LABEL_GATE_STATUS,
  LABEL_TIER,
  MICRO_APP_API_VERSION,
  MICRO_APP_KIND,
  RELATION_SCAFFOLDED_FROM,
  RELATION_SCAFFOLDER_OF,
  validateMicroAppEntity,
} from '@microapps/plugin-marketplace-common';
import { createEntityReader } from '../reader/createEntityReader';
import type { GateRunner } from '../runner/GateRunner';
import type { GateRunRecorder } from '../services/GateRunRecorder';

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
  constructor(
    private readonly options: {
      runner: GateRunner;
      urlReader: UrlReaderService;
      recorder?: GateRunRecorder;
    },
  ) {}

  getProcessorName(): string {
    return 'MicroAppProcessor';
  }

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

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
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

    const tier = spec.tier ?? DEFAULT_TIER;
    const run = await this.options.runner.run({
      entity,
      tier,
      reader: createEntityReader({
        urlReader: this.options.urlReader,
        location,
      }),
    });
    await this.options.recorder?.record(run);

    // The YAML cannot set these labels: they are the marketplace's verdict.
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        labels: {
          ...entity.metadata.labels,
          [LABEL_TIER]: tier,
          [LABEL_GATE_STATUS]: run.status,
        },
      },
    };
  }
}
