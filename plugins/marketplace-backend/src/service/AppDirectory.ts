import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isMicroAppEntity,
  MicroAppEntityV1alpha1,
} from '@microapps/plugin-marketplace-common';

/** Namespace and name of an app. */
export interface AppRef {
  namespace: string;
  name: string;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The entity ref of an app, in lower case. */
export function appEntityRef(ref: AppRef | string): string {
  return lower(
    typeof ref === 'string'
      ? stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'microapp' }))
      : stringifyEntityRef({ kind: 'MicroApp', ...ref }),
  );
}

/** The owners of an app: its `ownedBy` relations, or `spec.owner` before relations exist. */
export function ownersOf(entity: MicroAppEntityV1alpha1): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => lower(r.targetRef));
  if (related.length) return related;
  return [
    lower(
      stringifyEntityRef(
        parseEntityRef(entity.spec.owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ),
  ];
}

/**
 * Reads MicroApps from the catalog: with the caller's credentials when the answer depends on
 * what the caller may see, with the plugin's own otherwise.
 */
export class AppDirectory {
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  /** The app as the caller sees it; 404 whether it is missing or hidden from the caller. */
  async getVisibleApp(
    ref: AppRef | string,
    credentials: BackstageCredentials,
  ): Promise<MicroAppEntityV1alpha1> {
    const entityRef = appEntityRef(ref);
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity || !isMicroAppEntity(entity)) {
      throw new NotFoundError(`No app '${entityRef}'`);
    }
    return entity;
  }

  /** Apps by ref, read with the plugin's own credentials (missing ones left out). */
  async getApps(
    entityRefs: string[],
  ): Promise<Map<string, MicroAppEntityV1alpha1>> {
    const result = new Map<string, MicroAppEntityV1alpha1>();
    if (!entityRefs.length) return result;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs },
      { credentials },
    );
    for (const entity of items) {
      if (entity && isMicroAppEntity(entity)) {
        result.set(appEntityRef(stringifyEntityRef(entity)), entity);
      }
    }
    return result;
  }

  /** The subset of these apps the caller may see. */
  async visibleTo(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    if (!entityRefs.length) return new Set();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs, fields: ['kind', 'metadata.namespace', 'metadata.name'] },
      { credentials },
    );
    return new Set(
      items.flatMap(e => (e ? [appEntityRef(stringifyEntityRef(e))] : [])),
    );
  }

  /** Asks the catalog to process the app again soon, so its labels follow a change. */
  async refresh(entityRef: string): Promise<void> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    await this.options.catalog.refreshEntity(entityRef, { credentials });
  }
}

/** Where the app's Governance tab is in the portal. */
export function governanceLink(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/microapp/${name}/governance`;
}
