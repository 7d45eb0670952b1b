/* eslint-disable no-console */
import fs from 'node:fs';
import path from 'node:path';
import { createNpmBom, serializeBom } from '../src/lib/cycloneDx';
import { parseNpmLockfile } from '../src/lib/npmLockfile';
import { npmRegistry } from '../src/__testUtils__/npmRegistry';

// What marketplace:sbom:generate costs: lockfile to CycloneDX 1.5 JSON, for the templates'
// real lockfiles and for synthetic lockfiles of growing size (BENCH_SBOM_PACKAGES).

const REPO = path.resolve(__dirname, '../../..');
const RUNS = Number(process.env.BENCH_SBOM_RUNS ?? 20);
const SIZES = (process.env.BENCH_SBOM_PACKAGES ?? '1000,5000')
  .split(',')
  .map(n => Number(n.trim()));

function generate(text: string, includeDev = false) {
  const lockfile = parseNpmLockfile({ text, field: 'lockfile', includeDev });
  const { bom, components } = createNpmBom({ lockfile, appName: 'bench' });
  return { json: serializeBom(bom), components };
}

/** A v3 lockfile with `count` packages, each depending on up to three others. */
function syntheticLockfile(count: number): string {
  const registry = npmRegistry();
  const packages: Record<string, unknown> = {
    '': {
      name: 'bench',
      version: '1.0.0',
      dependencies: { 'pkg-0': '1.0.0' },
    },
  };
  for (let i = 0; i < count; i++) {
    const deps = Object.fromEntries(
      [1, 2, 3]
        .map(k => i * 3 + k)
        .filter(j => j < count)
        .map(j => [`pkg-${j}`, '1.0.0']),
    );
    packages[`node_modules/pkg-${i}`] = {
      version: '1.0.0',
      resolved: `${registry}pkg-${i}/-/pkg-${i}-1.0.0.tgz`,
      integrity: `sha512-${Buffer.alloc(64, i % 256).toString('base64')}`,
      license: i % 7 === 0 ? 'MIT OR Apache-2.0' : 'MIT',
      dependencies: deps,
    };
  }
  return JSON.stringify({ name: 'bench', lockfileVersion: 3, packages });
}

function measure(label: string, text: string) {
  generate(text); // warm-up
  const times: number[] = [];
  let components = 0;
  let bytes = 0;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const out = generate(text);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    components = out.components;
    bytes = out.json.length;
  }
  times.sort((a, b) => a - b);
  const p = (q: number) =>
    times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(
    `${label.padEnd(34)} ${String(components).padStart(6)} components  ` +
      `p50 ${p(0.5).toFixed(1)} ms  p95 ${p(0.95).toFixed(1)} ms  ` +
      `SBOM ${(bytes / 1024).toFixed(0)} KiB  heap +${(
        (heapPeak - heapBefore) /
        1024 /
        1024
      ).toFixed(1)} MiB`,
  );
}

console.log(`SBOM generation, ${RUNS} runs each (Node ${process.version})`);
for (const template of [
  'secure-node-webapp',
  'static-spa',
  'workflow-automation',
]) {
  const file = path.join(
    REPO,
    'templates',
    template,
    'skeleton/package-lock.json',
  );
  measure(`templates/${template}`, fs.readFileSync(file, 'utf8'));
}
for (const size of SIZES) {
  measure(`synthetic lockfile, ${size} packages`, syntheticLockfile(size));
}
