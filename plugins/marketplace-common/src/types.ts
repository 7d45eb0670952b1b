import type { Entity } from '@backstage/catalog-model';
import type { FromSchema } from 'json-schema-to-ts';
import { microAppSpecSchema } from './schema/microAppSchema';

/** The API version of the MicroApp kind. @public */
export const MICRO_APP_API_VERSION = 'microapps.dev/v1alpha1';

/** The kind name. @public */
export const MICRO_APP_KIND = 'MicroApp';

/** `spec` of a MicroApp, derived from {@link microAppSpecSchema}. @public */
export type MicroAppSpec = FromSchema<typeof microAppSpecSchema>;

/** A MicroApp catalog entity. @public */
export interface MicroAppEntityV1alpha1 extends Entity {
  /** The API version, {@link MICRO_APP_API_VERSION}. */
  apiVersion: typeof MICRO_APP_API_VERSION;
  /** The kind, {@link MICRO_APP_KIND}. */
  kind: typeof MICRO_APP_KIND;
  /** The app's declaration, validated against {@link microAppSpecSchema}. */
  spec: MicroAppSpec;
}

/** True when the entity is of kind MicroApp (any casing of the kind, as the catalog allows). @public */
export function isMicroAppEntity(
  entity: Entity,
): entity is MicroAppEntityV1alpha1 {
  return (
    entity.apiVersion === MICRO_APP_API_VERSION &&
    entity.kind.toLocaleLowerCase('en-US') ===
      MICRO_APP_KIND.toLocaleLowerCase('en-US')
  );
}
