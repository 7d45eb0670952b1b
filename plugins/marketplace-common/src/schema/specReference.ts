/**
 * Renders the reference table of `spec` fields from the kind's JSON Schema, so that the
 * README documents exactly what the validator enforces. `yarn docs` in this package writes
 * it into README.md; a test fails when the README is stale.
 */
export function renderSpecReference(schema: any, prefix = 'spec'): string {
  const rows: string[] = [
    '| field | type | required | description |',
    '| --- | --- | --- | --- |',
  ];
  const walk = (node: any, path: string) => {
    const required = new Set<string>(node.required ?? []);
    for (const [name, child] of Object.entries<any>(node.properties ?? {})) {
      const field = `${path}.${name}`;
      rows.push(
        `| \`${field}\` | ${typeOf(child)} | ${
          required.has(name) ? 'yes' : ''
        } | ${child.description ?? ''} |`,
      );
      if (child.type === 'object') walk(child, field);
      if (child.type === 'array' && child.items?.type === 'object') {
        walk(child.items, `${field}[]`);
      }
    }
  };
  walk(schema, prefix);
  return rows.join('\n');
}

function typeOf(schema: any): string {
  if (schema.enum)
    return schema.enum.map((v: string) => `\`${v}\``).join(' \\| ');
  if (schema.type === 'array') return `list of ${schema.items?.type ?? 'any'}`;
  if (schema.format) return `${schema.type} (${schema.format})`;
  if (schema.minimum !== undefined)
    return `${schema.type} >= ${schema.minimum}`;
  return schema.type;
}
