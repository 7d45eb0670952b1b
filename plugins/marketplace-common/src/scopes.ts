/**
 * Parses a scope list such as `expenses.read, calendar.*` (the template annotations
 * `microapps.dev/allowed-scopes` and `microapps.dev/pii-scopes`) into patterns.
 *
 * @public
 */
export function parseScopeList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * True when a pattern list allows the scope; `a.*` allows `a.b` and `a.b.c`, not `a`.
 *
 * @public
 */
export function scopeMatches(patterns: string[], scope: string): boolean {
  return patterns.some(p =>
    p.endsWith('*') ? scope.startsWith(p.slice(0, -1)) : p === scope,
  );
}

/**
 * The shortest justification a scope that reaches personal data accepts, in characters
 * (the privileges gate, the scaffolder action and the permission picker all use it).
 *
 * @public
 */
export const MIN_PII_JUSTIFICATION = 10;
