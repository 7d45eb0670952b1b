import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

// The scaffolder's template page: /create/templates/:namespace/:templateName (both frontend
// systems), possibly below a base path.
const TEMPLATE_PATH = /\/templates\/([^/]+)\/([^/]+)\/?$/;

/** Where the template of the form can come from, most explicit first. */
export type TemplateRefSources = {
  /** `ui:options.template` of the field. */
  option?: unknown;
  /** The route params of the template page. */
  params?: { namespace?: string; templateName?: string };
  /** The page's path, when the field is rendered outside the template route. */
  pathname?: string;
};

/**
 * The ref of the template whose allowlist applies (`template:default/secure-node-webapp`),
 * or undefined when none is known (e.g. the template editor without `ui:options.template`).
 * Throws when `ui:options.template` is not an entity ref.
 */
export function resolveTemplateRef(
  sources: TemplateRefSources,
): string | undefined {
  if (typeof sources.option === 'string' && sources.option.trim()) {
    return stringifyEntityRef(
      parseEntityRef(sources.option.trim(), {
        defaultKind: 'template',
        defaultNamespace: 'default',
      }),
    );
  }
  const { namespace, templateName } = sources.params ?? {};
  if (namespace && templateName) {
    return stringifyEntityRef({
      kind: 'template',
      namespace,
      name: templateName,
    });
  }
  const match = sources.pathname?.match(TEMPLATE_PATH);
  if (match) {
    return stringifyEntityRef({
      kind: 'template',
      namespace: decodeURIComponent(match[1]),
      name: decodeURIComponent(match[2]),
    });
  }
  return undefined;
}
