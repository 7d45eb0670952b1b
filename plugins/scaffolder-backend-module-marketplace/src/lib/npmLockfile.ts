import { InputError } from '@backstage/errors';

/** One installed package of a lockfile. */
export type LockedPackage = {
  /** The key in the lockfile's `packages` map, e.g. `node_modules/a/node_modules/b`. */
  path: string;
  name: string;
  version: string;
  license?: string;
  integrity?: string;
  resolved?: string;
  optional: boolean;
  /** Paths of the packages it depends on, among the packages kept. */
  dependencies: string[];
};

/** The packages of a lockfile (v2 or v3) that an install for production puts on disk. */
export type NpmLockfile = {
  root: {
    name?: string;
    version?: string;
    license?: string;
    /** Paths of the packages the app depends on, among the packages kept. */
    dependencies: string[];
  };
  packages: LockedPackage[];
};

type LockEntry = {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  integrity?: unknown;
  resolved?: unknown;
  link?: unknown;
  dev?: unknown;
  optional?: unknown;
  extraneous?: unknown;
  dependencies?: unknown;
  optionalDependencies?: unknown;
  peerDependencies?: unknown;
  devDependencies?: unknown;
};

const NODE_MODULES = 'node_modules/';

/**
 * Reads the `packages` map of a package-lock.json (lockfile v2 or v3). Workspace folders and
 * links are left out; so are dev packages (`dev: true`) unless `includeDev`, and extraneous
 * ones. Dependencies are resolved as Node does: the nearest `node_modules` up the tree.
 */
export function parseNpmLockfile(options: {
  text: string;
  field: string;
  includeDev: boolean;
}): NpmLockfile {
  const { text, field, includeDev } = options;
  let lock: { lockfileVersion?: unknown; packages?: unknown };
  try {
    lock = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${field} is not valid JSON: ${(e as Error).message}`);
  }
  const entries = lock?.packages;
  if (
    typeof lock?.lockfileVersion !== 'number' ||
    lock.lockfileVersion < 2 ||
    !entries ||
    typeof entries !== 'object'
  ) {
    throw new InputError(
      `${field} is not an npm lockfile v2 or v3 (with a packages map); regenerate it with npm 7 or later`,
    );
  }
  const all = entries as Record<string, LockEntry>;
  const kept = new Map<string, LockEntry>();
  for (const [key, entry] of Object.entries(all)) {
    if (!key.startsWith(NODE_MODULES) && !key.includes(`/${NODE_MODULES}`)) {
      continue; // the root and workspace folders
    }
    if (
      entry.link === true ||
      entry.extraneous === true ||
      typeof entry.version !== 'string' ||
      (entry.dev === true && !includeDev)
    ) {
      continue;
    }
    kept.set(key, entry);
  }

  const dependenciesOf = (key: string, entry: LockEntry, dev: boolean) => {
    const names = new Set([
      ...dependencyNames(entry.dependencies),
      ...dependencyNames(entry.optionalDependencies),
      ...dependencyNames(entry.peerDependencies),
      ...(dev ? dependencyNames(entry.devDependencies) : []),
    ]);
    const paths = new Set<string>();
    for (const name of names) {
      const resolved = resolveDependency(key, name, all);
      if (resolved && kept.has(resolved)) paths.add(resolved);
    }
    return [...paths].sort();
  };

  const rootEntry = all[''] ?? {};
  return {
    root: {
      name: stringOrUndefined(rootEntry.name),
      version: stringOrUndefined(rootEntry.version),
      license: stringOrUndefined(rootEntry.license),
      dependencies: dependenciesOf('', rootEntry, includeDev),
    },
    packages: [...kept].map(([key, entry]) => ({
      path: key,
      name:
        stringOrUndefined(entry.name) ??
        key.slice(key.lastIndexOf(NODE_MODULES) + NODE_MODULES.length),
      version: entry.version as string,
      license: stringOrUndefined(entry.license),
      integrity: stringOrUndefined(entry.integrity),
      resolved: stringOrUndefined(entry.resolved),
      optional: entry.optional === true,
      dependencies: dependenciesOf(key, entry, false),
    })),
  };
}

function dependencyNames(value: unknown): string[] {
  return value && typeof value === 'object' ? Object.keys(value) : [];
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The `node_modules/<name>` nearest to `from`, walking up the tree as Node does. */
function resolveDependency(
  from: string,
  name: string,
  all: Record<string, unknown>,
): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base
      ? `${base}/${NODE_MODULES}${name}`
      : `${NODE_MODULES}${name}`;
    if (Object.hasOwn(all, candidate)) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf(`/${NODE_MODULES}`);
    base = i === -1 ? '' : base.slice(0, i);
  }
}
