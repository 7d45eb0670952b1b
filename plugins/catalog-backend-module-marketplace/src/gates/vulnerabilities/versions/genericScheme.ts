import { order } from './order';
import type { VersionScheme } from './VersionScheme';

/** A run of digits (without leading zeros) or of letters (lower-cased). */
type Token = { number: string } | { text: string };

const ALLOWED = /^v?\d[0-9A-Za-z.\-_~]*$/;

function tokenize(version: string): Token[] | undefined {
  // Build metadata never orders versions (SemVer, NuGet).
  const trimmed = version.trim().replace(/\+.*$/, '');
  if (!ALLOWED.test(trimmed)) return undefined;
  const runs =
    trimmed
      .replace(/^v/, '')
      .toLowerCase()
      .match(/\d+|[a-z]+/g) ?? [];
  return runs.map(run =>
    /^\d/.test(run) ? { number: run.replace(/^0+/, '') || '0' } : { text: run },
  );
}

function compareTokens(a: Token | undefined, b: Token | undefined): number {
  // A missing token counts as 0 (`1.2` = `1.2.0`), but sorts after text, so that a
  // textual suffix reads as a prerelease (`1.2-rc1` < `1.2`).
  if (!a && !b) return 0;
  if (!a || !b) {
    const present = (a ?? b)!;
    let presentOrder = 1;
    if ('text' in present) presentOrder = -1;
    else if (present.number === '0') presentOrder = 0;
    return a ? presentOrder : -presentOrder;
  }
  if ('number' in a && 'number' in b) {
    return order(a.number.length, b.number.length) || order(a.number, b.number);
  }
  if ('text' in a && 'text' in b) return order(a.text, b.text);
  return 'number' in a ? 1 : -1;
}

/**
 * The fallback for ecosystems without an exact implementation (NuGet, RubyGems, Packagist,
 * Hackage, CRAN): dotted numbers compared numerically, missing parts as 0, a textual part
 * as a prerelease below the release, build metadata ignored. It does not know per-ecosystem
 * qualifier names, so Composer's `-patch`/`-pl` (above the release) and `dev-` branches,
 * RubyGems' relative order of `.pre`/`.rc` beyond alphabetical, and NuGet's numeric
 * prerelease identifiers may be ordered differently from the ecosystem's own tools.
 *
 * @internal
 */
export const genericScheme: VersionScheme<Token[]> = {
  name: 'generic',
  parse: tokenize,
  compare(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const result = compareTokens(a[i], b[i]);
      if (result !== 0) return result;
    }
    return 0;
  },
};
