import {
  isPiiScope,
  PermissionRequest,
  TemplateScopes,
} from './templateScopes';

/**
 * The permissions for a new list of scopes: kept scopes keep their justification, new ones
 * start empty; the template's personal-data scopes are flagged `pii: true`.
 */
export function withScopes(
  scopes: TemplateScopes,
  current: PermissionRequest[],
  picked: string[],
): PermissionRequest[] {
  const unique = [...new Set(picked.map(s => s.trim()).filter(Boolean))];
  return unique.map(scope => {
    const existing = current.find(p => p.scope === scope) ?? { scope };
    return isPiiScope(scopes, scope) ? { ...existing, pii: true } : existing;
  });
}

/** The list with one permission changed; empty justifications and `pii: false` are left out. */
export function withPermission(
  current: PermissionRequest[],
  index: number,
  change: { justification?: string; pii?: boolean },
): PermissionRequest[] {
  return current.map((permission, i) => {
    if (i !== index) {
      return permission;
    }
    const { scope, pii, justification } = { ...permission, ...change };
    return {
      scope,
      ...(pii ? { pii: true } : {}),
      ...(justification ? { justification } : {}),
    };
  });
}
