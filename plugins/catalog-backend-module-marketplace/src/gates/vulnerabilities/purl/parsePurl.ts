import { InputError } from '@backstage/errors';

/**
 * The parts of a package URL (https://github.com/package-url/purl-spec), percent-decoded.
 *
 * @public
 */
export interface PackageUrl {
  /** Lower-cased, e.g. `npm`, `maven`, `golang`. */
  type: string;
  /** Segments joined by `/`, e.g. `@babel` or `org.apache.logging.log4j`. */
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
  subpath?: string;
}

/** Longer strings are not package URLs but something else; refuse them early. */
const MAX_PURL_LENGTH = 4096;
const TYPE = /^[a-z.+-][a-z0-9.+-]*$/;
const QUALIFIER_KEY = /^[a-z.\-_][a-z0-9.\-_]*$/;

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InputError(
      `The ${what} '${text}' is not correctly percent-encoded`,
    );
  }
}

function segments(text: string, what: string): string[] {
  return text
    .split('/')
    .filter(s => s !== '')
    .map(s => decode(s, what));
}

/**
 * Parses a package URL such as `pkg:npm/%40scope/name@1.0.0?arch=x64#lib`, following the
 * purl spec's parsing steps (subpath and qualifiers split off from the right, percent-
 * decoding per segment). Throws InputError naming the problem.
 *
 * @public
 */
export function parsePurl(options: { purl: string }): PackageUrl {
  const { purl } = options;
  if (purl.length > MAX_PURL_LENGTH) {
    throw new InputError(
      `The package URL is longer than ${MAX_PURL_LENGTH} characters`,
    );
  }
  let rest = purl.trim();

  let subpath: string | undefined;
  const hash = rest.lastIndexOf('#');
  if (hash !== -1) {
    const parts = segments(rest.slice(hash + 1), 'subpath').filter(
      s => s !== '.' && s !== '..',
    );
    subpath = parts.length ? parts.join('/') : undefined;
    rest = rest.slice(0, hash);
  }

  const qualifiers: Record<string, string> = {};
  const question = rest.lastIndexOf('?');
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = (eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
      const value =
        eq === -1 ? '' : decode(pair.slice(eq + 1), 'qualifier value');
      if (!QUALIFIER_KEY.test(key)) {
        throw new InputError(
          `'${key}' is not a valid package URL qualifier key`,
        );
      }
      if (value) qualifiers[key] = value;
    }
    rest = rest.slice(0, question);
  }

  const colon = rest.indexOf(':');
  if (colon === -1 || rest.slice(0, colon).toLowerCase() !== 'pkg') {
    throw new InputError(
      `'${purl}' is not a package URL: it must start with 'pkg:'`,
    );
  }
  rest = rest.slice(colon + 1).replace(/^\/+/, '');

  const slash = rest.indexOf('/');
  if (slash === -1) {
    throw new InputError(`The package URL '${purl}' has no name`);
  }
  const type = rest.slice(0, slash).toLowerCase();
  if (!TYPE.test(type)) {
    throw new InputError(`'${type}' is not a valid package URL type`);
  }
  rest = rest.slice(slash + 1).replace(/\/+$/, '');

  // The version follows the last `@` of the name segment; an unencoded npm scope such as
  // `pkg:npm/@babel/core` (common, though the spec wants `%40`) is not a version.
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/') && at > 0) {
    version = decode(rest.slice(at + 1), 'version') || undefined;
    rest = rest.slice(0, at);
  }

  const parts = segments(rest, 'name');
  const name = parts.pop();
  if (!name) {
    throw new InputError(`The package URL '${purl}' has no name`);
  }
  return {
    type,
    ...(parts.length ? { namespace: parts.join('/') } : {}),
    name,
    ...(version !== undefined ? { version } : {}),
    qualifiers,
    ...(subpath !== undefined ? { subpath } : {}),
  };
}
