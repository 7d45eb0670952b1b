import { order } from './order';
import type { VersionScheme } from './VersionScheme';

// A port of Maven's org.apache.maven.artifact.versioning.ComparableVersion (3.6/3.8 rules):
// a version is a list of number and qualifier items; `-` and digit/letter transitions open
// a sub-list; trailing "null" items (0, "", empty lists) are dropped.

type Item =
  | { kind: 'int'; digits: string }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Item[] };

/** Qualifiers in order; unknown ones sort after all of them, alphabetically. */
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));
const ALIASES: Record<string, string> = {
  ga: '',
  final: '',
  release: '',
  cr: 'rc',
};
const SHORTHANDS: Record<string, string> = {
  a: 'alpha',
  b: 'beta',
  m: 'milestone',
};

/**
 * A parsed Maven version.
 *
 * @internal
 */
export type MavenVersion = Item & { kind: 'list' };

function intItem(digits: string): Item {
  return { kind: 'int', digits: digits.replace(/^0+/, '') || '0' };
}

function stringItem(value: string, followedByDigit: boolean): Item {
  const expanded =
    followedByDigit && value.length === 1 ? SHORTHANDS[value] ?? value : value;
  return { kind: 'string', value: ALIASES[expanded] ?? expanded };
}

function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'int':
      return item.digits === '0';
    case 'string':
      return comparableQualifier(item.value) === RELEASE_INDEX;
    default:
      return item.items.length === 0;
  }
}

function normalize(list: MavenVersion) {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i];
    if (isNull(item)) {
      list.items.splice(i, 1);
    } else if (item.kind !== 'list') {
      break;
    }
  }
}

function compareDigits(a: string, b: string): number {
  // Numbers of any length, as Maven 3.6+ does with BigInteger items.
  return order(a.length, b.length) || order(a, b);
}

/** Compares an item with an absent one (the shorter version's padding). */
function compareToNothing(item: Item): number {
  switch (item.kind) {
    case 'int':
      return item.digits === '0' ? 0 : 1;
    case 'string':
      return order(comparableQualifier(item.value), RELEASE_INDEX);
    default:
      return item.items.length === 0 ? 0 : compareToNothing(item.items[0]);
  }
}

function compareItems(a: Item | undefined, b: Item | undefined): number {
  if (!a) {
    return b ? -compareToNothing(b) : 0;
  }
  if (!b) {
    return compareToNothing(a);
  }
  switch (a.kind) {
    case 'int':
      return b.kind === 'int' ? compareDigits(a.digits, b.digits) : 1;
    case 'string':
      if (b.kind === 'int' || b.kind === 'list') return -1;
      return order(comparableQualifier(a.value), comparableQualifier(b.value));
    default:
      if (b.kind === 'int') return -1;
      if (b.kind === 'string') return 1;
      for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
        const result = compareItems(a.items[i], b.items[i]);
        if (result !== 0) return result;
      }
      return 0;
  }
}

/**
 * Parses a Maven version the way Maven orders it; every string is a Maven version.
 *
 * @internal
 */
export function parseMavenVersion(options: { version: string }): MavenVersion {
  const version = options.version.trim().toLowerCase();
  const root: MavenVersion = { kind: 'list', items: [] };
  const stack: MavenVersion[] = [root];
  let list = root;
  let isDigit = false;
  let start = 0;
  const parseItem = (text: string) =>
    isDigit ? intItem(text) : stringItem(text, false);
  const openList = () => {
    const child: MavenVersion = { kind: 'list', items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i];
    if (c === '.' || c === '-') {
      list.items.push(
        i === start ? intItem('0') : parseItem(version.slice(start, i)),
      );
      start = i + 1;
      if (c === '-') openList();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.items.push(stringItem(version.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(version.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (version.length > start) {
    list.items.push(parseItem(version.slice(start)));
  }
  while (stack.length) {
    normalize(stack.pop()!);
  }
  return root;
}

/**
 * Orders two Maven versions as Maven's ComparableVersion does, e.g. `2.4` = `2.4.0` <
 * `2.4.1`, and `1-alpha` < `1-beta` < `1-milestone` < `1-rc` < `1-SNAPSHOT` < `1` < `1-sp`.
 *
 * @internal
 */
export function compareMavenVersions(options: {
  a: string;
  b: string;
}): number {
  return compareItems(
    parseMavenVersion({ version: options.a }),
    parseMavenVersion({ version: options.b }),
  );
}

/**
 * Maven versions, ordered by ComparableVersion.
 *
 * @internal
 */
export const mavenScheme: VersionScheme<MavenVersion> = {
  name: 'Maven',
  parse: version =>
    version.trim() ? parseMavenVersion({ version }) : undefined,
  compare: (a, b) => compareItems(a, b),
};
