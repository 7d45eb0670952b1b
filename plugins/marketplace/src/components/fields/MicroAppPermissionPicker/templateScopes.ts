import type { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ALLOWED_SCOPES,
  ANNOTATION_PII_SCOPES,
  MicroAppSpec,
  parseScopeList,
  scopeMatches,
} from '@microapps/plugin-marketplace-common';

/** One requested permission, as in `spec.permissions` of a MicroApp. @public */
export type PermissionRequest = NonNullable<
  MicroAppSpec['permissions']
>[number];

/** The scope lists a template declares in its annotations. */
export type TemplateScopes = {
  templateRef: string;
  /** `microapps.dev/allowed-scopes`: scopes and `a.*` patterns. */
  allowed: string[];
  /** `microapps.dev/pii-scopes`: the scopes that reach personal data. */
  pii: string[];
};

/** The template's scope lists, or undefined when the template is not in the catalog. */
export async function loadTemplateScopes(
  catalogApi: Pick<CatalogApi, 'getEntityByRef'>,
  templateRef: string,
): Promise<TemplateScopes | undefined> {
  const template = await catalogApi.getEntityByRef(templateRef);
  if (!template) {
    return undefined;
  }
  const annotations = template.metadata.annotations ?? {};
  return {
    templateRef,
    allowed: parseScopeList(annotations[ANNOTATION_ALLOWED_SCOPES]),
    pii: parseScopeList(annotations[ANNOTATION_PII_SCOPES]),
  };
}

/** True when the scope is within the template's allowlist. */
export function isAllowedScope(scopes: TemplateScopes, scope: string): boolean {
  return scopeMatches(scopes.allowed, scope);
}

/** True when the template says the scope reaches personal data. */
export function isPiiScope(scopes: TemplateScopes, scope: string): boolean {
  return scopeMatches(scopes.pii, scope);
}

/** The allowlist entries one can pick as they are (`a.*` patterns are typed out). */
export function pickableScopes(scopes: TemplateScopes): string[] {
  return scopes.allowed.filter(s => !s.endsWith('*'));
}
