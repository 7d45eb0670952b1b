/** Parses an annotation value such as `expenses.read, calendar.*` into patterns. */
export function parseScopeList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/** True when a pattern list allows the scope; `a.*` allows `a.b` and `a.b.c`, not `a`. */
export function scopeMatches(patterns: string[], scope: string): boolean {
  return patterns.some(p =>
    p.endsWith('*') ? scope.startsWith(p.slice(0, -1)) : p === scope,
  );
}
