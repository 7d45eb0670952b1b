import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Real OSV advisories and the matcher's expected results (EXPECTED.md). */
export const ADVISORIES_DIR = path.join(REPO_ROOT, 'examples/advisories');

/** Real SBOMs: CycloneDX 1.4–1.6 and SPDX 2.3. */
export const SBOMS_DIR = path.join(REPO_ROOT, 'examples/sboms');

/** The example MicroApps of the demo portal. */
export const MICROAPPS_DIR = path.join(REPO_ROOT, 'examples/microapps');
