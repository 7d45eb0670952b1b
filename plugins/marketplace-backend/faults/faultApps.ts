import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO } from '../src/__testUtils__/testBackend';

/**
 * Writes copies of an example app (with its SBOM) named `names` into `dir`, as one catalog
 * file; returns its path. `status-page` passes every gate at Vetted, `team-dinner-splitter`
 * has known vulnerabilities.
 */
export function writeExampleApps(options: {
  dir: string;
  example: 'status-page' | 'team-dinner-splitter';
  names: string[];
  change?: (app: any) => void;
}): string {
  const source = path.join(REPO, 'examples/microapps', options.example);
  const base = parse(
    fs.readFileSync(path.join(source, 'catalog-info.yaml'), 'utf8'),
  );
  for (const file of fs.readdirSync(source)) {
    if (file.startsWith('sbom.')) {
      fs.copyFileSync(path.join(source, file), path.join(options.dir, file));
    }
  }
  const docs = options.names.map(name => {
    const app = structuredClone(base);
    app.metadata.name = name;
    app.metadata.title = name;
    options.change?.(app);
    return stringify(app);
  });
  const file = path.join(options.dir, 'catalog-info.yaml');
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}
