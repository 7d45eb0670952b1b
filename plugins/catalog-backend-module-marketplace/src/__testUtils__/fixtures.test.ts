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
  it.each(copies)(
    '%s fixtures are present and equal the shared originals',
    (name, dir) => {
      expect(
        fs.readdirSync(dir).filter(f => f.endsWith('.json')).length,
      ).toBeGreaterThan(4);
      if (!fs.existsSync(shared)) {
        // eslint-disable-next-line no-console
        console.log(
          `NOTICE: ${shared} is absent; the ${name} copies are not compared`,
        );
        return;
      }
      const originals = fs.readdirSync(path.join(shared, name));
      for (const file of originals) {
        const original = fs.readFileSync(path.join(shared, name, file));
        expect(fs.readFileSync(path.join(dir, file)).equals(original)).toBe(
          true,
        );
      }
    },
  );
});
