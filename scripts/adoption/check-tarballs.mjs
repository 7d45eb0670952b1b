#!/usr/bin/env node
// Looks inside each packed package as an adopter's yarn would get it: the entry points and
// type files exist, no workspace: range is left, the config schema and the migrations ship.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let failed = false;
for (const tarball of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const file = path.join(dir, tarball);
  const entries = new Set(
    execFileSync('tar', ['tzf', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(e => e.replace(/^package\//, '')),
  );
  const pkg = JSON.parse(
    execFileSync('tar', ['xzf', file, '-O', 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const problems = [];
  for (const field of ['main', 'types', 'module', 'configSchema']) {
    if (pkg[field] && !entries.has(pkg[field].replace(/^\.\//, ''))) {
      problems.push(`${field} ${pkg[field]} is not in the package`);
    }
  }
  if (!pkg.main?.replace(/^\.\//, '').startsWith('dist/'))
    problems.push(`main is ${pkg.main}, not dist/`);
  if (pkg.private) problems.push('it is private');
  if (!pkg.backstage?.role) problems.push('no backstage.role');
  for (const [name, range] of Object.entries({
    ...pkg.dependencies,
    ...pkg.peerDependencies,
  })) {
    if (/^(workspace|link|file|portal):/.test(range)) {
      problems.push(`dependency ${name} has the local range ${range}`);
    }
  }
  if (pkg.backstage?.role === 'backend-plugin') {
    const migrations = [...entries].filter(e => /^migrations\/.*\.js$/.test(e));
    if (migrations.length === 0) problems.push('no migrations/*.js');
  }
  const what = `${pkg.name}@${pkg.version} (${pkg.backstage?.role}, ${entries.size} files)`;
  if (problems.length) {
    failed = true;
    console.error(`[adoption] FAIL ${what}: ${problems.join('; ')}`);
  } else {
    console.log(`[adoption] ok ${what}`);
  }
}
process.exit(failed ? 1 : 0);
