import fs from 'node:fs';
import path from 'node:path';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type {
  SbomComponent,
  SbomFacts,
} from '@microapps/plugin-marketplace-node';
import parseSpdx from 'spdx-expression-parse';
import spdxSatisfies from 'spdx-satisfies';
import { SBOMS_DIR } from '../../__testUtils__/fixtures';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { parseSbom } from '../sbom';
import { createLicensesGate } from './createLicensesGate';
import {
  DEFAULT_ALLOWED_LICENSES,
  DEFAULT_DENIED_LICENSES,
} from './licensePolicy';

const satisfies = spdxSatisfies as unknown as (
  e: string,
  l: string[],
) => boolean;

const entity = {
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name: 'a' },
  spec: { type: 'web-app', owner: 'group:default/a' },
} as unknown as MicroAppEntityV1alpha1;

const sbomOf = (components: SbomComponent[]): SbomFacts => ({
  format: 'CycloneDX',
  specVersion: '1.6',
  sha256: 'f'.repeat(64),
  components,
});

const run = (sbom: SbomFacts | undefined, config: object = {}) =>
  createLicensesGate().evaluate(
    { entity, tier: 'vetted', facts: sbom ? { sbom } : {} },
    createTestGateContext({ config }),
  );

// Classifies a CycloneDX file's licenses the blunt way, as a check on the gate: whole
// expressions through spdx-satisfies, the worst entry per component.
function classifyByHand(file: string) {
  const json = JSON.parse(fs.readFileSync(path.join(SBOMS_DIR, file), 'utf8'));
  const counts = { denied: 0, notAllowed: 0, unknown: 0 };
  for (const component of json.components) {
    const entries: string[] = (component.licenses ?? []).map(
      (l: any) => l.expression ?? l.license.id ?? l.license.name,
    );
    const kinds = entries.map(expression => {
      try {
        parseSpdx(expression);
      } catch {
        return 'unknown';
      }
      if (satisfies(expression, [...DEFAULT_ALLOWED_LICENSES])) return 'ok';
      const leaves = expression
        .replace(/[()]/g, ' ')
        .split(/\s+(?:AND|OR)\s+/)
        .map(s => s.trim());
      const usable = leaves.filter(
        leaf => !satisfies(leaf, [...DEFAULT_DENIED_LICENSES]),
      );
      if (!usable.length || !satisfies(expression, usable)) return 'denied';
      return 'notAllowed';
    });
    if (
      !entries.length ||
      kinds.includes('denied') ||
      kinds.includes('notAllowed') ||
      kinds.includes('unknown')
    ) {
      if (kinds.includes('denied')) counts.denied += 1;
      else if (kinds.includes('notAllowed')) counts.notAllowed += 1;
      else counts.unknown += 1;
    }
  }
  return { counts, total: json.components.length };
}

describe('licenses gate', () => {
  it('judges an unchanged SBOM under an unchanged policy once', async () => {
    const context = createTestGateContext();
    const gate = createLicensesGate();
    const facts = { sbom: sbomOf([{ name: 'a', licenses: ['GPL-3.0-only'] }]) };
    const first = await gate.evaluate(
      { entity, tier: 'vetted', facts },
      context,
    );
    expect(first.status).toBe('fail');
    expect([...context.cacheEntries.keys()]).toEqual([
      `licenses:v1:${first.inputDigest}`,
    ]);
    // same SBOM hash: the cached verdict answers, whatever the components say now
    const again = await gate.evaluate(
      {
        entity,
        tier: 'vetted',
        facts: { sbom: { ...facts.sbom, components: [] } },
      },
      context,
    );
    expect(again).toEqual(first);
  });

  it('runs after the sbom gate', () => {
    expect(createLicensesGate()).toMatchObject({
      id: 'licenses',
      title: 'Licenses',
      after: ['sbom'],
    });
  });

  it('errors, never passes, without SBOM facts', async () => {
    const result = await run(undefined);
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/no SBOM facts/);
  });

  it.each([
    'juice-shop-14.1.1.cdx-1.4.json',
    'proton-bridge-1.8.0.cdx.json',
    'laravel-7.12.0.cdx-1.4.json',
    'cern-lhc-vdm-editor.cdx.json',
  ])('counts what %s holds as an independent reading does', async file => {
    const sbom = await parseSbom({
      content: fs.readFileSync(path.join(SBOMS_DIR, file)),
    });
    const { counts, total } = classifyByHand(file);
    const result = await run(sbom);
    let expectedStatus = 'pass';
    if (counts.unknown) expectedStatus = 'warn';
    if (counts.denied || counts.notAllowed) expectedStatus = 'fail';
    expect(result.status).toBe(expectedStatus);
    expect(result.summary).toBe(
      expectedStatus === 'pass'
        ? `${total} components, all licenses allowed`
        : `${counts.denied} denied, ${counts.notAllowed} not allowed, ${counts.unknown} unknown of ${total} components`,
    );
    expect(new Set(result.findings.map(f => f.id)).size).toBe(
      result.findings.length,
    );
  });

  it('names the problems of the Juice Shop', async () => {
    const sbom = await parseSbom({
      content: fs.readFileSync(
        path.join(SBOMS_DIR, 'juice-shop-14.1.1.cdx-1.4.json'),
      ),
    });
    const result = await run(sbom);
    const byId = (id: string) => result.findings.find(f => f.id === id);
    // Components the file itself marks GPL-2.0 and WTFPL, and one with a license name.
    const gpl = sbom.components.find(c => c.licenses.includes('GPL-2.0'))!;
    expect(byId(`GPL-2.0:${gpl.name}`)).toMatchObject({
      severity: 'high',
      location: gpl.purl,
    });
    const wtfpl = sbom.components.find(c => c.licenses.includes('WTFPL'))!;
    expect(byId(`WTFPL:${wtfpl.name}`)).toMatchObject({ severity: 'medium' });
    expect(byId('MIT/X11:traverse')).toMatchObject({ severity: 'low' });
    // `WTFPL OR ISC` is given as a license name, but it is a valid expression: allowed.
    expect(result.findings.some(f => f.id.startsWith('WTFPL OR ISC:'))).toBe(
      false,
    );
  });

  describe('rules', () => {
    const one = (licenses: string[], extra: Partial<SbomComponent> = {}) =>
      sbomOf([
        {
          name: 'lib',
          version: '1.0.0',
          purl: 'pkg:npm/lib@1.0.0',
          licenses,
          ...extra,
        },
      ]);

    it('passes allowed licenses and choices that avoid denied ones', async () => {
      const result = await run(
        sbomOf([
          { name: 'a', licenses: ['MIT'] },
          { name: 'b', licenses: ['MIT OR GPL-3.0-only'] },
          { name: 'c', licenses: ['Apache-2.0', 'BSD-3-Clause'] },
        ]),
      );
      expect(result).toMatchObject({
        status: 'pass',
        findings: [],
        summary: '3 components, all licenses allowed',
      });
    });

    it('fails a denied license with a high finding', async () => {
      const result = await run(one(['MIT AND GPL-3.0-only']));
      expect(result).toMatchObject({
        status: 'fail',
        summary: '1 denied, 0 not allowed, 0 unknown of 1 components',
        findings: [
          {
            id: 'MIT AND GPL-3.0-only:lib',
            severity: 'high',
            location: 'pkg:npm/lib@1.0.0',
            message:
              "lib@1.0.0 is licensed under 'MIT AND GPL-3.0-only', which cannot be used without the denied license 'GPL-3.0-only'",
          },
        ],
      });
    });

    it('fails a license on neither list with a medium finding while an allow list is in force', async () => {
      const result = await run(one(['WTFPL']));
      expect(result.status).toBe('fail');
      expect(result.findings).toEqual([
        expect.objectContaining({
          id: 'WTFPL:lib',
          severity: 'medium',
          message: expect.stringContaining("'WTFPL' is on neither"),
        }),
      ]);
      // Without an allow list only the deny list counts.
      expect(await run(one(['WTFPL']), { allow: [] })).toMatchObject({
        status: 'pass',
        findings: [],
      });
    });

    it('warns about a missing license, located by name and version without a purl', async () => {
      const result = await run(one([], { purl: undefined }));
      expect(result).toMatchObject({
        status: 'warn',
        summary: '0 denied, 0 not allowed, 1 unknown of 1 components',
        findings: [
          {
            id: 'NOASSERTION:lib',
            severity: 'low',
            location: 'lib@1.0.0',
            message: 'lib@1.0.0 declares no license; it needs a review',
          },
        ],
      });
    });

    it('warns about unparseable expressions and non-SPDX names', async () => {
      const result = await run(
        sbomOf([
          { name: 'x', licenses: ['Apache2'] },
          { name: 'y', licenses: ['LicenseRef-Corp'] },
        ]),
      );
      expect(result.status).toBe('warn');
      expect(result.findings).toEqual([
        expect.objectContaining({
          id: 'Apache2:x',
          severity: 'low',
          location: 'x',
          message: expect.stringContaining('not an SPDX license expression'),
        }),
        expect.objectContaining({
          id: 'LicenseRef-Corp:y',
          severity: 'low',
          message: expect.stringContaining('not an SPDX-listed license'),
        }),
      ]);
    });

    it('fails unknown licenses with unknown: fail', async () => {
      expect((await run(one([]), { unknown: 'fail' })).status).toBe('fail');
      expect((await run(one(['MIT']), { unknown: 'fail' })).status).toBe(
        'pass',
      );
    });

    it('judges every license a component lists, counting the component once at its worst', async () => {
      const result = await run(one(['MIT', 'WTFPL', 'GPL-2.0-only', 'Custom']));
      expect(result.summary).toBe(
        '1 denied, 0 not allowed, 0 unknown of 1 components',
      );
      expect(result.findings.map(f => [f.id, f.severity])).toEqual([
        ['WTFPL:lib', 'medium'],
        ['GPL-2.0-only:lib', 'high'],
        ['Custom:lib', 'low'],
      ]);
    });

    it('reports a package at several versions once', async () => {
      const result = await run(
        sbomOf([
          { name: 'lib', version: '1', licenses: ['WTFPL'] },
          { name: 'lib', version: '2', licenses: ['WTFPL'] },
        ]),
      );
      expect(result.summary).toBe(
        '0 denied, 2 not allowed, 0 unknown of 2 components',
      );
      expect(result.findings).toHaveLength(1);
      expect(result.findings[0].message).toMatch(/\(and 1 more occurrence\)$/);
    });

    it('uses configured lists', async () => {
      const config = { allow: ['MIT', 'WTFPL'], deny: ['Apache-2.0'] };
      expect((await run(one(['WTFPL']), config)).status).toBe('pass');
      expect(
        (await run(one(['Apache-2.0']), config)).findings[0].severity,
      ).toBe('high');
      expect(
        (await run(one(['GPL-3.0-only']), config)).findings[0].severity,
      ).toBe('medium');
    });

    it('errors on a bad policy', async () => {
      expect(await run(one(['MIT']), { unknown: 'shrug' })).toMatchObject({
        status: 'error',
        error:
          "marketplace.gates.licenses.unknown must be 'warn' or 'fail', got 'shrug'",
      });
    });

    it('digests the SBOM and the policy', async () => {
      const a = await run(one(['MIT']));
      const b = await run(one(['MIT']), { unknown: 'fail' });
      expect(a.inputDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(a.inputDigest).not.toBe(b.inputDigest);
    });
  });
});
