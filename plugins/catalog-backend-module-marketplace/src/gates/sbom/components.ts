import type { SbomComponent } from '@microapps/plugin-marketplace-node';
import { BOUND_KEYS } from '../../bounds/keys';
import { LimitExceededError } from '../../bounds/LimitExceededError';

/**
 * Builds a component for the facts, leaving out absent fields (facts are JSON, without undefined).
 *
 * @internal
 */
export function toSbomComponent(options: {
  name: string;
  version?: string;
  purl?: string;
  licenses: Iterable<string>;
}): SbomComponent {
  const component: SbomComponent = {
    name: options.name,
    licenses: [...new Set(options.licenses)],
  };
  if (options.version) component.version = options.version;
  if (options.purl) component.purl = options.purl;
  return component;
}

/**
 * Adds a component, refusing more than the bound before the facts grow past it.
 *
 * @internal
 */
export function addBounded(options: {
  components: SbomComponent[];
  component: SbomComponent;
  maxComponents: number;
}) {
  const { components, component, maxComponents } = options;
  if (components.length >= maxComponents) {
    throw new LimitExceededError(
      `The SBOM lists more components than the limit of ${maxComponents} (${BOUND_KEYS.sbom}.maxComponents)`,
      'maxComponents',
    );
  }
  components.push(component);
}
