import { MIN_PII_JUSTIFICATION } from '@microapps/plugin-marketplace-common';
import {
  isAllowedScope,
  isPiiScope,
  PermissionRequest,
  TemplateScopes,
} from './templateScopes';

/** True when the permission reaches personal data: flagged so, or a PII scope of the template. */
export function reachesPersonalData(
  scopes: TemplateScopes,
  permission: PermissionRequest,
): boolean {
  return permission.pii === true || isPiiScope(scopes, permission.scope);
}

/** The justification is long enough for a scope that reaches personal data. */
export function isJustified(permission: PermissionRequest): boolean {
  return (
    (permission.justification?.trim().length ?? 0) >= MIN_PII_JUSTIFICATION
  );
}

/**
 * What the privileges gate would refuse, as form errors: scopes outside the template's
 * allowlist and personal-data scopes without a justification.
 */
export function checkPermissions(
  scopes: TemplateScopes,
  permissions: PermissionRequest[],
): string[] {
  const errors: string[] = [];
  const allowlist = scopes.allowed.length ? scopes.allowed.join(', ') : 'none';
  for (const permission of permissions) {
    const scope = permission.scope?.trim() ?? '';
    if (!scope) {
      errors.push('Every permission needs a scope');
      continue;
    }
    if (!isAllowedScope(scopes, scope)) {
      errors.push(
        `Scope '${scope}' is not in this template's allowlist (${allowlist})`,
      );
    }
    if (reachesPersonalData(scopes, permission) && !isJustified(permission)) {
      errors.push(
        `Scope '${scope}' reaches personal data: say why the app needs it (at least ${MIN_PII_JUSTIFICATION} characters)`,
      );
    }
  }
  return errors;
}
