#!/usr/bin/env node
// Fails when node_modules holds more than one version of any @backstage/* package: mixing
// releases is what breaks a Backstage backend at start (see ENVIRONMENT.md). Also fails when a
// published package asks for an @backstage/* range that the pinned release (the root
// resolutions) does not satisfy: in an adopter's 1.55 app that range pulls a second copy.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const versions = new Map();

function visit(nodeModules) {
  let names;
  try {
    names = fs.readdirSync(nodeModules);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const dirs = name.startsWith('@')
      ? fs.readdirSync(path.join(nodeModules, name)).map(n => `${name}/${n}`)
      : [name];
    for (const pkg of dirs) {
      const dir = path.join(nodeModules, pkg);
      if (pkg.startsWith('@backstage/')) {
        try {
          const { version } = JSON.parse(
            fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
          );
          if (!versions.has(pkg)) versions.set(pkg, new Map());
          versions.get(pkg).set(version, path.relative(root, dir));
        } catch {
          // not a package folder
        }
      }
      visit(path.join(dir, 'node_modules'));
    }
  }
}

visit(path.join(root, 'node_modules'));
for (const top of ['packages', 'plugins']) {
  for (const ws of fs.readdirSync(path.join(root, top))) {
    visit(path.join(root, top, ws, 'node_modules'));
  }
}

const duplicated = [...versions].filter(([, v]) => v.size > 1);
if (duplicated.length) {
  for (const [name, v] of duplicated) {
    console.error(
      `${name}: ${[...v]
        .map(([ver, where]) => `${ver} (${where})`)
        .join(', ')}`,
    );
  }
  console.error(
    `FAIL: ${duplicated.length} @backstage packages are installed in more than one version`,
  );
  process.exit(1);
}
console.log(`ok: ${versions.size} @backstage packages, one version each`);

const semver = require('semver');
const pinned = require(path.join(root, 'package.json')).resolutions;
const outOfRelease = [];
for (const ws of fs.readdirSync(path.join(root, 'plugins'))) {
  const file = path.join(root, 'plugins', ws, 'package.json');
  if (!fs.existsSync(file)) continue;
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ranges = { ...pkg.dependencies, ...pkg.peerDependencies };
  for (const [name, range] of Object.entries(ranges)) {
    if (!name.startsWith('@backstage/') || !pinned[name]) continue;
    if (!semver.satisfies(pinned[name], range)) {
      outOfRelease.push(
        `${pkg.name}: ${name}@${range} (the release has ${pinned[name]})`,
      );
    }
  }
}
if (outOfRelease.length) {
  for (const line of outOfRelease) console.error(line);
  console.error(
    `FAIL: ${outOfRelease.length} @backstage ranges of published packages exclude the pinned release`,
  );
  process.exit(1);
}
console.log(
  'ok: every published package accepts the pinned release of its @backstage deps',
);
