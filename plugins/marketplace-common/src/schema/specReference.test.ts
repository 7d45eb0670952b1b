import fs from 'node:fs';
import path from 'node:path';
import { microAppSpecSchema } from './microAppSchema';
import { renderSpecReference } from './specReference';

describe('renderSpecReference', () => {
  const table = renderSpecReference(microAppSpecSchema);

  it('lists every field with its type and whether it is required', () => {
    expect(table).toContain('| `spec.owner` | string | yes |');
    expect(table).toContain(
      '| `spec.cost.monthlyForecast` | number >= 0 | yes |',
    );
    expect(table).toContain(
      '| `spec.tier` | `discover` \\| `vetted` \\| `enterprise` |  |',
    );
    expect(table).toContain('| `spec.permissions[].scope` | string | yes |');
    expect(table).toContain('| `spec.support.runbook` | string (uri) |  |');
  });

  it('is what the README documents (run `yarn docs` in this package when it is not)', () => {
    const readme = fs.readFileSync(
      path.resolve(__dirname, '../../README.md'),
      'utf8',
    );
    const documented = readme
      .split('<!-- spec-reference:start -->')[1]
      ?.split('<!-- spec-reference:end -->')[0];
    // prettier pads the table's cells; compare cell by cell
    const cells = (md?: string) =>
      md
        ?.trim()
        .split('\n')
        .map(line =>
          line.split(/(?<!\\)\|/).map(c => c.trim().replace(/^-+$/, '-')),
        );
    expect(cells(documented)).toEqual(cells(table));
  });
});
