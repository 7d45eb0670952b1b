import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { SbomFacts } from '@microapps/plugin-marketplace-node';
import fs from 'node:fs';
import path from 'node:path';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { ADVISORIES_DIR, SBOMS_DIR } from '../../__testUtils__/fixtures';
import { createVulnerabilitiesGate } from './createVulnerabilitiesGate';
import { matchComponents, type OsvMatch } from './matchComponents';
import { loadOsvFolder } from './osv/loadOsvFolder';
import { OsvIndex } from './osv/OsvIndex';
import {
  osvPackageForPurl,
  type OsvPackageRef,
} from './purl/osvPackageForPurl';

// The verdicts come from examples/advisories/EXPECTED.md itself, so that the test fails
// whenever the matcher and the file disagree.

interface ExpectedRow {
  row: number;
  name: string;
  ecosystem: string;
  version: string;
  advisory: string;
  affected: boolean;
  severity: string;
  /** Extra versions named in the notes, e.g. "2.15.0 → no". */
  testPoints: Array<{ version: string; affected: boolean }>;
}

const SEVERITY_OF: Record<string, string> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  LOW: 'low',
};

/** "yes", "yes (intended) — UNSURE …" or "**no**". */
function verdict(cell: string): boolean {
  if (/^yes\b/.test(cell)) return true;
  if (/^\*\*no\*\*$/.test(cell)) return false;
  throw new Error(`Cannot read the verdict '${cell}'`);
}

function readExpected(): ExpectedRow[] {
  const markdown = fs.readFileSync(
    path.join(ADVISORIES_DIR, 'EXPECTED.md'),
    'utf8',
  );
  const rows: ExpectedRow[] = [];
  for (const line of markdown.split('\n')) {
    if (!/^\|\s*\d+\s*\|/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map(c => c.trim());
    const [row, pkg, version, advisory, affected, severity, , notes] = cells;
    const pkgMatch = /^(\S+) \((\w+)\)/.exec(pkg);
    if (!pkgMatch) throw new Error(`Cannot read the package cell '${pkg}'`);
    rows.push({
      row: Number(row),
      name: pkgMatch[1],
      ecosystem: pkgMatch[2],
      version: /^\S+/.exec(version)![0],
      advisory,
      affected: verdict(affected),
      severity,
      testPoints: [...notes.matchAll(/(\d[\w.-]*) → (yes|no)/g)].map(m => ({
        version: m[1],
        affected: m[2] === 'yes',
      })),
    });
  }
  return rows;
}

const expected = readExpected();
const npmRows = expected.filter(r => r.ecosystem === 'npm');
const otherRows = expected.filter(r => r.ecosystem !== 'npm');

const sbomFile = path.join(SBOMS_DIR, 'juice-shop-14.1.1.cdx-1.4.json');
const sbomDocument = JSON.parse(fs.readFileSync(sbomFile, 'utf8'));
const juiceShop: SbomFacts = {
  format: 'CycloneDX',
  specVersion: sbomDocument.specVersion,
  sha256: 'juice-shop-14.1.1',
  components: sbomDocument.components.map((c: any) => ({
    name: c.name,
    version: c.version,
    purl: c.purl,
    licenses: [],
  })),
};

/** Purls of the non-npm test versions: Go purls carry the `v` prefix of go.mod. */
function purlFor(row: ExpectedRow, version: string): string {
  switch (row.ecosystem) {
    case 'Maven': {
      const [group, artifact] = row.name.split(':');
      return `pkg:maven/${group}/${artifact}@${version}`;
    }
    case 'PyPI':
      return `pkg:pypi/${row.name}@${version}`;
    case 'Go':
      return `pkg:golang/${row.name}@v${version}`;
    default:
      throw new Error(`No purl for ${row.ecosystem}`);
  }
}

function resolve(purl: string): OsvPackageRef {
  const result = osvPackageForPurl({ purl });
  if ('skipped' in result) throw new Error(`${purl}: ${result.skipped}`);
  return result.package;
}

describe('matching against examples/advisories/EXPECTED.md', () => {
  let index: OsvIndex;
  let sbomMatches: OsvMatch[];
  beforeAll(async () => {
    const feed = await loadOsvFolder({ dir: ADVISORIES_DIR });
    if (feed.errors.length) throw new Error(JSON.stringify(feed.errors));
    index = OsvIndex.build(feed);
    const components = juiceShop.components.map(c => resolve(c.purl!));
    sbomMatches = matchComponents({ index, components }).matches;
  });

  it('reads the table: 34 rows, 31 npm, 28 yes', () => {
    expect(expected).toHaveLength(34);
    expect(npmRows).toHaveLength(31);
    expect(expected.filter(r => r.affected)).toHaveLength(28);
  });

  it.each(
    npmRows.map(
      r => [r.row, r.name, r.version, r.advisory, r.affected, r] as const,
    ),
  )(
    'row %i: %s@%s %s affected=%s',
    (_, name, version, advisory, affected, row) => {
      expect(
        juiceShop.components.some(
          c => c.name === name && c.version === version,
        ),
      ).toBe(true);
      const match = sbomMatches.find(
        m =>
          m.component.name === name &&
          m.component.version === version &&
          m.advisory.id === advisory,
      );
      expect(Boolean(match)).toBe(affected);
      const [entry] = index
        .lookup({ ecosystem: 'npm', name })
        .filter(e => e.advisory.id === advisory);
      expect(entry.advisory.severity.severity).toBe(
        SEVERITY_OF[row.severity.toUpperCase()],
      );
    },
  );

  it('matches nothing else for the table’s components', () => {
    const inTable = new Set(npmRows.map(r => `${r.name}@${r.version}`));
    const found = sbomMatches
      .filter(m => inTable.has(`${m.component.name}@${m.component.version}`))
      .map(m => `${m.component.name}@${m.component.version} ${m.advisory.id}`)
      .sort();
    const wanted = npmRows
      .filter(r => r.affected)
      .map(r => `${r.name}@${r.version} ${r.advisory}`)
      .sort();
    expect(found).toEqual(wanted);
    expect(found).toHaveLength(25);
  });

  it.each(otherRows.map(r => [r.row, r.name, r.ecosystem, r] as const))(
    'row %i: %s (%s) at its test version and the extra test points',
    (_, _name, _ecosystem, row) => {
      const points = [
        { version: row.version, affected: row.affected },
        ...row.testPoints,
      ];
      expect(points.length).toBeGreaterThan(1);
      for (const point of points) {
        const component = resolve(purlFor(row, point.version));
        const { matches } = matchComponents({ index, components: [component] });
        expect([
          point.version,
          matches.some(m => m.advisory.id === row.advisory),
        ]).toEqual([point.version, point.affected]);
        for (const m of matches) {
          expect(m.advisory.severity.severity).toBe(
            SEVERITY_OF[row.severity.toUpperCase()],
          );
        }
      }
    },
  );

  it('also matches a Go module against the advisory on its package, naming the package', () => {
    const module = resolve('pkg:golang/golang.org/x/text@v0.3.7');
    const [match] = matchComponents({ index, components: [module] }).matches;
    expect(match).toMatchObject({
      advisory: { id: 'GHSA-69ch-w2m2-3vjp' },
      affectedPackage: 'golang.org/x/text/language',
      fixed: '0.3.8',
    });
    const fixed = resolve('pkg:golang/golang.org/x/text@v0.3.8');
    expect(matchComponents({ index, components: [fixed] }).matches).toEqual([]);
  });

  it('gives the verdicts through the gate, one finding per advisory and package', async () => {
    const gate = createVulnerabilitiesGate({ getIndex: () => index });
    const result = await gate.evaluate(
      {
        entity: {} as MicroAppEntityV1alpha1,
        tier: 'vetted',
        facts: { sbom: juiceShop },
      },
      createTestGateContext(),
    );
    expect(result.status).toBe('fail');
    const byId = new Map(result.findings.map(f => [f.id, f]));
    // Another version of a package in the SBOM may be affected where this one is not, so
    // a "no" row means: its purl is not among the finding's locations.
    const seen = npmRows.map(row => {
      const finding = byId.get(`${row.advisory}:npm/${row.name}`);
      const purl = `pkg:npm/${row.name}@${row.version}`;
      const listed = finding?.location?.split(', ').includes(purl) ?? false;
      return {
        row: row.row,
        listed,
        message:
          listed && finding!.message.includes(`${row.name}@${row.version}`),
        severity: listed ? finding!.severity : undefined,
        url: listed ? finding!.url : undefined,
      };
    });
    expect(seen).toEqual(
      npmRows.map(row => ({
        row: row.row,
        listed: row.affected,
        message: row.affected,
        severity: row.affected
          ? SEVERITY_OF[row.severity.toUpperCase()]
          : undefined,
        url: row.affected
          ? `https://osv.dev/vulnerability/${row.advisory}`
          : undefined,
      })),
    );
  });
});
