import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO } from '../../src/__testUtils__/testBackend';
import { fleetApp } from './fleet';

const STATUS_PAGE = path.join(REPO, 'examples/microapps/status-page');
/** SBOMs of the gated phase, as the catalog module's processing bench mixes them. */
const GATED_SBOMS = [
  'cern-lhc-vdm-editor.cdx.json',
  'laravel-7.12.0.cdx-1.4.json',
  'proton-bridge-1.8.0.cdx.json',
];
const LARGE_SBOM = 'juice-shop-14.1.1.cdx-1.4.json';
const APPS_PER_FILE = 1000;

/** The clean status-page example: every gate passes with its SBOM and a runbook. */
function baseApp() {
  return parse(
    fs.readFileSync(path.join(STATUS_PAGE, 'catalog-info.yaml'), 'utf8'),
  );
}

/** One MicroApp of the fleet; `sbom` names a file next to the YAML, or none. */
function appDocument(base: any, index: number, sbom?: string) {
  const app = fleetApp(index);
  const doc = structuredClone(base);
  doc.metadata.name = app.name;
  doc.metadata.title = `${app.word} ${index}`;
  doc.metadata.description = `Bench app ${index} of ${app.owner.slice(
    app.owner.indexOf('/') + 1,
  )}`;
  const sha256 = base.metadata.annotations['microapps.dev/sbom-sha256'];
  if (sbom === 'sbom.spdx.json') {
    doc.metadata.annotations = {
      'microapps.dev/sbom': './sbom.spdx.json',
      'microapps.dev/sbom-sha256': sha256,
    };
  } else if (sbom) {
    doc.metadata.annotations = { 'microapps.dev/sbom': `./${sbom}` };
  } else {
    delete doc.metadata.annotations;
  }
  doc.spec.owner = app.owner;
  doc.spec.support.roster = app.owner;
  doc.spec.tier = app.tier;
  doc.spec.cost.center = app.costCenter;
  doc.spec.data.classification = app.classification;
  if (app.tier !== 'discover') {
    doc.spec.support.runbook = `https://wiki.example.com/${app.name}/runbook`;
  }
  return doc;
}

function writeFiles(
  dir: string,
  apps: number,
  sbomOf: (index: number) => string | undefined,
): string[] {
  const base = baseApp();
  const paths: string[] = [];
  for (let start = 0; start < apps; start += APPS_PER_FILE) {
    const docs: string[] = [];
    for (let i = start; i < Math.min(apps, start + APPS_PER_FILE); i++) {
      docs.push(stringify(appDocument(base, i, sbomOf(i))));
    }
    const file = path.join(dir, `apps-${paths.length}.yaml`);
    fs.writeFileSync(file, docs.join('---\n'));
    paths.push(file);
  }
  return paths;
}

/**
 * The fleet of the load phases: without SBOMs (cheap to process, as in listBackend.ts),
 * except the sign-off pool, whose apps carry the status page's SBOM so their gates pass.
 */
export function writeFleetFiles(
  dir: string,
  apps: number,
  pool: number[],
): string[] {
  fs.copyFileSync(
    path.join(STATUS_PAGE, 'sbom.spdx.json'),
    path.join(dir, 'sbom.spdx.json'),
  );
  const inPool = new Set(pool);
  return writeFiles(dir, apps, i =>
    inPool.has(i) ? 'sbom.spdx.json' : undefined,
  );
}

/** The fleet of the memory phase: a quarter without SBOM, one in fifty with Juice Shop's. */
export function writeGatedFiles(dir: string, apps: number): string[] {
  for (const sbom of [...GATED_SBOMS, LARGE_SBOM]) {
    fs.copyFileSync(
      path.join(REPO, 'examples/sboms', sbom),
      path.join(dir, sbom),
    );
  }
  return writeFiles(dir, apps, i =>
    i % 50 === 0 ? LARGE_SBOM : GATED_SBOMS[i % 4],
  );
}
