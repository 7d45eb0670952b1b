import { InputError } from '@backstage/errors';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type {
  GateFacts,
  SbomComponent,
} from '@microapps/plugin-marketplace-node';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { createVulnerabilitiesGate } from './createVulnerabilitiesGate';
import type { OsvAdvisory } from './osv/OsvAdvisory';
import type { OsvEvent } from './versions/versionRanges';
import { OsvIndex } from './osv/OsvIndex';

function advisory(
  id: string,
  name: string,
  severity: string | undefined,
  events: OsvEvent[],
): OsvAdvisory {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    summary: `Problem ${id}`,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'ECOSYSTEM', events }],
      },
    ],
    database_specific: severity ? { severity } : {},
  };
}

const FEED = [
  advisory('GHSA-crit', 'crit-pkg', 'CRITICAL', [
    { introduced: '0' },
    { fixed: '2.0.0' },
  ]),
  advisory('GHSA-high', 'high-pkg', 'HIGH', [
    { introduced: '1.0.0' },
    { fixed: '1.5.0' },
  ]),
  advisory('GHSA-med', 'med-pkg', 'MODERATE', [
    { introduced: '0' },
    { last_affected: '3.0.0' },
  ]),
  advisory('GHSA-low', 'low-pkg', 'LOW', [
    { introduced: '0' },
    { fixed: '1.0.1' },
  ]),
  advisory('GHSA-none', 'unrated-pkg', undefined, [{ introduced: '0' }]),
];

const component = (purl: string): SbomComponent => ({
  name: purl.replace(/^pkg:npm\/|@[^@]*$/g, ''),
  purl,
  licenses: [],
});

function facts(
  purls: Array<string | undefined>,
  sha256 = 'sbom-sha',
): GateFacts {
  return {
    sbom: {
      format: 'CycloneDX',
      specVersion: '1.5',
      sha256,
      components: purls.map(p =>
        p ? component(p) : { name: 'anonymous', licenses: [] },
      ),
    },
  };
}

const entity = {} as MicroAppEntityV1alpha1;

describe('vulnerabilities gate', () => {
  const index = OsvIndex.build({ advisories: FEED });
  const gate = createVulnerabilitiesGate({ getIndex: () => index });
  const run = (gateFacts: GateFacts, config?: object) =>
    gate.evaluate(
      { entity, tier: 'vetted', facts: gateFacts },
      createTestGateContext({ config }),
    );

  it('declares itself', () => {
    expect(gate).toMatchObject({
      id: 'vulnerabilities',
      title: 'Vulnerabilities',
      after: ['sbom'],
    });
  });

  it('fails at or above the default block severity (high)', async () => {
    const result = await run(
      facts(['pkg:npm/high-pkg@1.2.0', 'pkg:npm/low-pkg@1.0.0']),
    );
    expect(result).toMatchObject({
      status: 'fail',
      summary: '1 high, 1 low',
      facts: {
        critical: 0,
        high: 1,
        medium: 0,
        low: 1,
        info: 0,
        packages: 2,
        skipped: 0,
      },
      inputDigest: `sbom=sbom-sha;osv=${index.version};blockSeverity=high`,
    });
    expect(result.findings).toEqual([
      {
        id: 'GHSA-high:npm/high-pkg',
        severity: 'high',
        blocking: true,
        message:
          'high-pkg@1.2.0 is affected by GHSA-high: Problem GHSA-high; fixed in 1.5.0',
        location: 'pkg:npm/high-pkg@1.2.0',
        url: 'https://osv.dev/vulnerability/GHSA-high',
      },
      expect.objectContaining({ id: 'GHSA-low:npm/low-pkg', severity: 'low' }),
    ]);
  });

  it('warns when all findings are below the block severity', async () => {
    const result = await run(
      facts(['pkg:npm/low-pkg@1.0.0', 'pkg:npm/med-pkg@3.0.0']),
    );
    expect(result.status).toBe('warn');
    expect(result.summary).toBe('1 medium, 1 low');
  });

  it('reads blockSeverity from the config', async () => {
    const purls = ['pkg:npm/med-pkg@1.0.0'];
    expect((await run(facts(purls), { blockSeverity: 'medium' })).status).toBe(
      'fail',
    );
    expect(
      (await run(facts(purls), { blockSeverity: 'critical' })).status,
    ).toBe('warn');
    const crit = await run(facts(['pkg:npm/crit-pkg@1.0.0']), {
      blockSeverity: 'critical',
    });
    expect(crit.status).toBe('fail');
    const upper = await run(facts(purls), { blockSeverity: 'Medium' });
    expect(upper.status).toBe('fail');
  });

  it('refuses a blockSeverity that is not a severity', async () => {
    const result = run(facts([]), { blockSeverity: 'severe' });
    await expect(result).rejects.toThrow(InputError);
    await expect(result).rejects.toThrow(
      "marketplace.gates.vulnerabilities.blockSeverity must be one of critical, high, medium, low, not 'severe'",
    );
  });

  it('passes when nothing is affected, counting what it could not read', async () => {
    const result = await run(
      facts([
        'pkg:npm/high-pkg@1.5.0',
        'pkg:npm/crit-pkg@2.0.0',
        'pkg:deb/debian/curl@7.0',
        undefined,
      ]),
    );
    expect(result).toMatchObject({
      status: 'pass',
      findings: [],
      summary:
        'no known vulnerabilities in 2 packages; 2 components without a usable package URL',
      facts: { packages: 2, skipped: 2 },
    });
  });

  it('says when an advisory has no severity and assumes medium', async () => {
    const result = await run(facts(['pkg:npm/unrated-pkg@9.9.9']));
    expect(result.findings).toEqual([
      expect.objectContaining({
        severity: 'medium',
        message:
          'unrated-pkg@9.9.9 is affected by GHSA-none: Problem GHSA-none; no fixed version is known; the advisory gives no severity, so medium is assumed',
      }),
    ]);
    expect(result.status).toBe('warn');
  });

  it('reports a version it cannot compare as info, so the gate does not pass', async () => {
    const result = await run(facts(['pkg:npm/high-pkg@latest']));
    expect(result.status).toBe('warn');
    expect(result.findings).toEqual([
      {
        id: 'unreadable-version:npm/high-pkg@latest',
        severity: 'info',
        blocking: false,
        message:
          "The version 'latest' of high-pkg is not a valid npm version, so 1 advisory (GHSA-high) could not be checked",
        location: 'pkg:npm/high-pkg@latest',
      },
    ]);
  });

  it('gives one finding per advisory and package, naming every affected version', async () => {
    const result = await run(
      facts([
        'pkg:npm/high-pkg@1.0.0',
        'pkg:npm/high-pkg@1.4.0',
        'pkg:npm/high-pkg@1.6.0',
      ]),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'GHSA-high:npm/high-pkg',
        message:
          'high-pkg@1.0.0, high-pkg@1.4.0 are affected by GHSA-high: Problem GHSA-high; fixed in 1.5.0',
        location: 'pkg:npm/high-pkg@1.0.0, pkg:npm/high-pkg@1.4.0',
      }),
    ]);
  });

  it('errors, never passes, without SBOM facts', async () => {
    const result = await run({});
    expect(result).toEqual({
      status: 'error',
      findings: [],
      error:
        'There are no SBOM facts to check: the sbom gate did not provide any',
    });
  });

  it('errors, never passes, without a loaded feed', async () => {
    const noFeed = createVulnerabilitiesGate({ getIndex: () => undefined });
    const result = await noFeed.evaluate(
      { entity, tier: 'vetted', facts: facts(['pkg:npm/high-pkg@1.2.0']) },
      createTestGateContext(),
    );
    expect(result).toEqual({
      status: 'error',
      findings: [],
      error:
        'No advisory feed is loaded, so the SBOM could not be checked for vulnerabilities',
    });
  });

  it('errors when no component has a package URL it can match', async () => {
    const result = await run(facts([undefined, 'pkg:generic/thing@1.0']));
    expect(result.status).toBe('error');
    expect(result.error).toBe(
      "None of the SBOM's 2 components has a package URL the gate can match (no package URL; package URL type 'generic' has no OSV ecosystem here)",
    );
  });

  it('reuses cached findings for the same SBOM, feed and block severity', async () => {
    const context = createTestGateContext();
    const lookup = jest.spyOn(index, 'lookup');
    const input = {
      entity,
      tier: 'vetted' as const,
      facts: facts(['pkg:npm/high-pkg@1.2.0']),
    };
    try {
      const first = await gate.evaluate(input, context);
      expect(lookup).toHaveBeenCalledTimes(1);
      expect(context.cacheEntries.size).toBe(1);
      expect([...context.cacheEntries.values()][0]).toEqual(first.findings);

      const second = await gate.evaluate(input, context);
      expect(lookup).toHaveBeenCalledTimes(1);
      expect(second).toEqual(first);

      // Another feed version is another key.
      const otherIndex = OsvIndex.build({ advisories: FEED.slice(1) });
      const otherLookup = jest.spyOn(otherIndex, 'lookup');
      const other = createVulnerabilitiesGate({ getIndex: () => otherIndex });
      await other.evaluate(input, context);
      expect(otherLookup).toHaveBeenCalledTimes(1);
      expect(context.cacheEntries.size).toBe(2);
    } finally {
      lookup.mockRestore();
    }
  });

  it('ignores a cached value that is not a finding list and survives cache failures', async () => {
    const context = createTestGateContext();
    const input = {
      entity,
      tier: 'vetted' as const,
      facts: facts(['pkg:npm/high-pkg@1.2.0']),
    };
    const first = await gate.evaluate(input, context);
    const [key] = context.cacheEntries.keys();
    context.cacheEntries.set(key, { not: 'findings' });
    expect(await gate.evaluate(input, context)).toEqual(first);

    context.cache.get = async () => {
      throw new Error('cache down');
    };
    context.cache.set = async () => {
      throw new Error('cache down');
    };
    expect(await gate.evaluate(input, context)).toEqual(first);
    expect(context.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not read the vulnerability cache'),
    );
  });
});
