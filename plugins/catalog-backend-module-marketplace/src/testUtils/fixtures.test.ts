import fs from 'node:fs';
import path from 'node:path';
import { ADVISORIES_DIR, REPO_ROOT, SBOMS_DIR } from './fixtures';

// The repo carries copies of the shared fixtures so that a fresh clone tests on its own.
// Where the shared originals sit beside the repo (as on the project's machines and CI),
// the copies must be byte for byte the same.
const shared = path.resolve(REPO_ROOT, '../shared/fixtures');
const copies: Array<[string, string]> = [
  ['osv', ADVISORIES_DIR],
  ['sbom', SBOMS_DIR],
];

describe('fixture copies', () => {
  if (!fs.existsSync(shared)) {
    it('cannot be compared without ../shared/fixtures', () => {
      // eslint-disable-next-line no-console
      console.log(`NOTICE: ${shared} is absent; the fixture copies were not compared`);
    });
    return;
  }
  it.each(copies)('%s fixtures are unchanged copies', (name, dir) => {
    const originals = fs.readdirSync(path.join(shared, name));
    expect(originals.length).toBeGreaterThan(0);
    for (const file of originals) {
      const original = fs.readFileSync(path.join(shared, name, file));
      expect(fs.readFileSync(path.join(dir, file)).equals(original)).toBe(true);
    }
  });
});
