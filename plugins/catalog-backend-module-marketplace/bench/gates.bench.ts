/* eslint-disable no-console */
// Figures for the gates: `yarn bench:gates` from the repository root.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { createMetadataGate } from '../src/gates/metadata/createMetadataGate';
import { createPolicyGates, loadPolicyPacks } from '../src/gates/policy';
import { parseSbom } from '../src/gates/sbom';
import { scanTextFiles } from '../src/gates/secrets';
import {
  createVulnerabilitiesGate,
  generateSyntheticAdvisories,
  loadOsvFolder,
  OsvIndex,
} from '../src/gates/vulnerabilities';
import { benchContext, median, report } from './benchContext';

const REPO = path.resolve(__dirname, '../../..');

async function main() {
  console.log(
    `Gate benchmarks (Node ${process.version}, ${new Date().toISOString()})\n`,
  );
  const apps = fs
    .readdirSync(path.join(REPO, 'examples/microapps'), { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(
      d =>
        parse(
          fs.readFileSync(
            path.join(REPO, 'examples/microapps', d.name, 'catalog-info.yaml'),
            'utf8',
          ),
        ) as MicroAppEntityV1alpha1,
    );

  // 1. metadata and policy gates per app (cheap gates, run at every processing)
  const metadata = createMetadataGate();
  const packFile = path.join(REPO, 'examples/policies/governance.yaml');
  const policy = createPolicyGates(
    loadPolicyPacks({
      files: [{ path: packFile, content: fs.readFileSync(packFile, 'utf8') }],
    }),
  );
  const ctx = benchContext();
  const perApp = async () => {
    for (const entity of apps) {
      const input = { entity, tier: entity.spec.tier ?? 'discover', facts: {} };
      await metadata.evaluate(input, ctx);
      for (const gate of policy) await gate.evaluate(input, ctx);
    }
  };
  await perApp();
  const metaPolicy = (await median(200, perApp)) / apps.length;
  report(
    `metadata + ${policy.length} policy rules, per app (no SBOM facts)`,
    metaPolicy * 1000,
    'µs',
  );

  // 2. SBOM parse + vulnerability match of the Juice Shop SBOM
  const juice = fs.readFileSync(
    path.join(REPO, 'examples/sboms/juice-shop-14.1.1.cdx-1.4.json'),
  );
  const coldStart = process.hrtime.bigint();
  const sbom = await parseSbom({ content: juice });
  report(
    'Juice Shop SBOM parse, first (schema compile)',
    Number(process.hrtime.bigint() - coldStart) / 1e6,
    'ms',
  );
  const parseMs = await median(20, () => parseSbom({ content: juice }));
  report(
    `Juice Shop SBOM parse (${sbom.components.length} components)`,
    parseMs,
    'ms',
  );

  const fixtureIndex = OsvIndex.build(
    await loadOsvFolder({ dir: path.join(REPO, 'examples/advisories') }),
  );
  const match = (index: OsvIndex) => {
    const gate = createVulnerabilitiesGate({ getIndex: () => index });
    const input = {
      entity: apps[0],
      tier: 'discover' as const,
      facts: { sbom },
    };
    return () => gate.evaluate(input, ctx);
  };
  const fixtureMs = await median(50, match(fixtureIndex));
  report(
    '  + vulnerability match against the fixture feed (34 advisories)',
    fixtureMs,
    'ms',
  );
  report('  = parse + match, fixture feed', parseMs + fixtureMs, 'ms');

  const buildStart = process.hrtime.bigint();
  const bigIndex = OsvIndex.build({
    advisories: generateSyntheticAdvisories({
      count: 100_000,
      seed: 42,
      packageNames: sbom.components.map(c => c.name),
    }),
  });
  report(
    'index build, 100,000 generated advisories',
    Number(process.hrtime.bigint() - buildStart) / 1e6,
    'ms',
  );
  const bigMs = await median(20, match(bigIndex));
  report('  + vulnerability match against 100,000 advisories', bigMs, 'ms');
  report(
    '  = parse + match, 100,000 advisories',
    parseMs + bigMs,
    'ms',
    '< 250 ms',
  );

  // 3. secret scan throughput over ~20 MB of generated source
  const line = (i: number) =>
    `export function handler${i}(req: Request, res: Response) { const id = req.params.id ?? 'n/a'; res.json({ id, at: Date.now() }); }\n`;
  const fileText = Array.from({ length: 150 }, (_, i) => line(i)).join('');
  const files = Array.from({ length: 1000 }, (_, i) => ({
    path: `src/module${i}.ts`,
    content: async () => Buffer.from(fileText),
  }));
  const bytes = files.length * Buffer.byteLength(fileText);
  await scanTextFiles({ files: files.slice(0, 20) });
  const scanMs = await median(3, () => scanTextFiles({ files }));
  report(
    `secret scan throughput (${(bytes / 1e6).toFixed(1)} MB in ${
      files.length
    } files)`,
    bytes / 1e6 / (scanMs / 1000),
    'MB/s',
  );

  const rss = process.memoryUsage().rss / 1024 / 1024;
  report('resident memory at the end', rss, 'MB');
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
